/**
 * Per-principal rate limits: a token bucket per key that refills `ratePerSecond` tokens a second up
 * to `burst`, and a call takes one. Buckets are kept per known principal (the keys come from the
 * principals file, a bounded set), so memory does not grow with traffic.
 *
 * @example
 * const buckets = new TokenBuckets({ ratePerSecond: 10, burst: 20 });
 * if (!buckets.take('AKIA…', Date.now())) throw throttled();
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * @param maxKeys how many buckets are kept at most, for keys that come from traffic (source IPs):
   *   past it the least recently used goes, and comes back full.
   */
  constructor(
    private readonly limit: { readonly ratePerSecond: number; readonly burst: number },
    private readonly maxKeys = Infinity,
  ) {
    if (!(limit.ratePerSecond > 0) || !(limit.burst >= 1))
      throw new Error('a rate limit needs a rate > 0 and a burst >= 1');
  }

  /** Takes a token for `key` at `nowMs`; false when there is none (the call is throttled). */
  take(key: string, nowMs: number): boolean {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: nowMs };
    // A clock that steps back refills nothing rather than draining the bucket.
    const elapsed = Math.max(0, nowMs - bucket.at) / 1000;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsed * this.limit.ratePerSecond);
    bucket.at = Math.max(bucket.at, nowMs);
    if (this.maxKeys !== Infinity) {
      // Map keeps insertion order: re-inserting makes it the most recently used, first is the least.
      this.buckets.delete(key);
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
