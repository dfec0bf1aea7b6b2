import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal';
import { PrincipalRegistry } from '../auth/principal.registry';
import { Clock } from '../clock/clock';
import type { Database } from '../database/database.types';
import { KYSELY } from '../database/database.tokens';
import { findTokenByDigest } from './bearer-token-sql';
import { isIssuedTokenShape, statusOf, tokenDigest } from './issued-token';
import { type CachedToken, TokenCache } from './token-cache';

/**
 * The principal an issued bearer token acts as (issue 17): read from bearer_tokens by the token's
 * digest, so a token made on any instance, or by the CLI, works here at once. What was read is
 * cached briefly (TOKEN_CACHE_LIMITS: a revocation elsewhere takes effect within 5 s). The
 * principal itself is looked up in the configured principals on every use, so a token whose
 * principal was removed fails, and a principal's current policies apply.
 */
@Injectable()
export class IssuedTokenLookup {
  private readonly cache = new TokenCache();
  /** Reads in flight by digest: a burst of requests with one token costs one query. */
  private readonly reading = new Map<string, Promise<CachedToken | null>>();
  /** Bumped by forget: a read that began before a revocation must not cache the token as usable. */
  private generation = 0;

  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    private readonly principals: PrincipalRegistry,
    private readonly clock: Clock,
  ) {}

  /** The principal of `token`; undefined when it is no issued token, or it is revoked, expired or orphaned. */
  async principalOf(token: string): Promise<Principal | undefined> {
    // Anything that cannot be an issued token costs no query: junk cannot load the database.
    if (!isIssuedTokenShape(token)) return undefined;
    const found = await this.tokenOf(tokenDigest(token));
    if (!found || statusOf({ expiresAt: found.expiresAt, revokedAt: null }, this.clock.now()) !== 'active')
      return undefined;
    const principal = this.principals.find(found.accessKeyId);
    // A permissive-mode principal is made up on the spot for any key: it is no principal a token can keep.
    return principal && !principal.signatureUnchecked ? principal : undefined;
  }

  /** Refuses a token at once on this instance (it was revoked here); other instances within the cache's time. */
  forget(tokenId: string): void {
    this.generation += 1;
    this.cache.forget(tokenId);
    // A request arriving from now on must not join a read begun before the revocation committed.
    this.reading.clear();
  }

  private tokenOf(digest: Buffer): Promise<CachedToken | null> {
    const key = digest.toString('hex');
    const cached = this.cache.get(key, performance.now());
    if (cached !== undefined) return Promise.resolve(cached);
    let read = this.reading.get(key);
    if (!read) {
      read = this.read(digest, key).finally(() => this.reading.delete(key));
      this.reading.set(key, read);
    }
    return read;
  }

  private async read(digest: Buffer, key: string): Promise<CachedToken | null> {
    const generation = this.generation;
    const record = await findTokenByDigest(this.db, digest);
    const usable =
      record && statusOf(record, this.clock.now()) === 'active'
        ? { tokenId: record.tokenId, accessKeyId: record.accessKeyId, expiresAt: record.expiresAt }
        : null;
    if (usable === null || generation === this.generation) this.cache.remember(key, usable, performance.now());
    return usable;
  }
}
