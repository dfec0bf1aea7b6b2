/**
 * How long an instance believes what it read of an issued token, and how many it keeps.
 *
 * - A usable token is believed for 5 s: a token revoked elsewhere (another instance, the CLI) stops
 *   working everywhere within 5 s; on the instance that revoked it, at once (forget).
 * - A token found unusable or not found is believed for 1 s. A new token is never in the cache
 *   before it exists (it is random, so nobody can have tried it), so this delays no new token on any
 *   instance; it only spares the database a burst of requests with the same bad token.
 * - At most 10,000 of each: past that the oldest entry goes, so made-up tokens cannot grow the heap.
 */
export const TOKEN_CACHE_LIMITS = {
  usableTtlMs: 5_000,
  unusableTtlMs: 1_000,
  maxUsable: 10_000,
  maxUnusable: 10_000,
} as const;

export type TokenCacheLimits = { readonly [K in keyof typeof TOKEN_CACHE_LIMITS]: number };

/** What a usable token's entry keeps: enough to find its principal and to see it expire meanwhile. */
export interface CachedToken {
  readonly tokenId: string;
  readonly accessKeyId: string;
  readonly expiresAt: Date | null;
}

/**
 * Issued tokens by the hex SHA-256 of the token (never the token: a heap dump yields no credential),
 * with their time to live. Times are milliseconds of a monotonic clock, passed in.
 */
export class TokenCache {
  private readonly usable = new Map<string, { readonly token: CachedToken; readonly until: number }>();
  private readonly unusable = new Map<string, number>();

  constructor(private readonly limits: TokenCacheLimits = TOKEN_CACHE_LIMITS) {}

  /** The token (usable), null (known unusable), or undefined when the cache cannot say. */
  get(digestHex: string, nowMs: number): CachedToken | null | undefined {
    const entry = this.usable.get(digestHex);
    if (entry) {
      if (entry.until > nowMs) return entry.token;
      this.usable.delete(digestHex);
    }
    const until = this.unusable.get(digestHex);
    if (until !== undefined) {
      if (until > nowMs) return null;
      this.unusable.delete(digestHex);
    }
    return undefined;
  }

  /** Keeps what the database said of a token: usable (`token`) or not (null). */
  remember(digestHex: string, token: CachedToken | null, nowMs: number): void {
    this.usable.delete(digestHex);
    this.unusable.delete(digestHex);
    if (token)
      boundedSet(this.usable, digestHex, { token, until: nowMs + this.limits.usableTtlMs }, this.limits.maxUsable);
    else boundedSet(this.unusable, digestHex, nowMs + this.limits.unusableTtlMs, this.limits.maxUnusable);
  }

  /** Drops a token believed usable: it was revoked here, so this instance refuses it at once. */
  forget(tokenId: string): void {
    for (const [digestHex, entry] of this.usable)
      if (entry.token.tokenId === tokenId.toLowerCase()) this.usable.delete(digestHex);
  }

  get size(): { readonly usable: number; readonly unusable: number } {
    return { usable: this.usable.size, unusable: this.unusable.size };
  }
}

/** Sets `key`, first dropping the oldest entries (a Map iterates in insertion order) when full. */
function boundedSet<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  while (map.size >= max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
  map.set(key, value);
}
