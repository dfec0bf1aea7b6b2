import type { Kysely } from 'kysely';
import type { Clock } from '../clock/clock';
import type { IdGenerator } from '../clock/id-generator';
import type { Database } from '../database/database.types';
import type { EventStore } from '../event-store/event-store';
import {
  type TokenActor,
  type TokenOwner,
  tokenCreatedEvent,
  tokenHistoryOf,
  tokenRevokedEvent,
  tokenTag,
} from './bearer-token-events';
import { findTokenById, insertTokenSql, listTokens, revokeTokenSql } from './bearer-token-sql';
import { type TokenRecord, type TokenRequest, expiryOf, isTokenId, newIssuedToken, tokenDigest } from './issued-token';

/**
 * Makes, lists and revokes issued bearer tokens, for the admin API and the CLI alike. Each creation
 * and revocation is one unit of work: the event that records it and the row's write commit
 * together, so the table never holds a token the event log does not explain.
 */
export class BearerTokenIssuer {
  /**
   * @param onRevoked told of each revocation once it committed (the service's lookup forgets the
   *   token at once).
   */
  constructor(
    private readonly store: EventStore,
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly onRevoked: (tokenId: string) => void = () => undefined,
  ) {}

  /** A new token for `owner`: the token itself is in the answer, and nowhere else, ever. */
  async create(
    owner: TokenOwner,
    request: TokenRequest,
    actor: TokenActor,
  ): Promise<{ readonly token: string; readonly record: TokenRecord }> {
    const token = newIssuedToken();
    const createdAt = this.clock.now();
    const record: TokenRecord = {
      tokenId: this.ids.uuid(),
      accessKeyId: owner.accessKeyId,
      description: request.description,
      createdAt,
      createdBy: actor.name,
      expiresAt: expiryOf(createdAt, request.expiresInDays),
      revokedAt: null,
      revokedBy: null,
    };
    const event = tokenCreatedEvent(this.ids.uuid(), record, owner, actor);
    const alongside = [insertTokenSql(record, tokenDigest(token))];
    await this.store.withConsistency(event.tags, async () => ({ events: [event], alongside }));
    return { token, record };
  }

  /** Every token of a principal (or of all), revoked and expired ones included; never the tokens themselves. */
  list(accessKeyId?: string): Promise<TokenRecord[]> {
    return listTokens(this.db, accessKeyId);
  }

  /**
   * Revokes a token, and answers it as stored afterwards; undefined when there is no such token, or
   * (with `ownedBy`) it is not that access key's, which callers must not be able to tell apart.
   * Revoking a revoked token changes nothing and records nothing.
   */
  async revoke(tokenId: string, actor: TokenActor, ownedBy?: string): Promise<TokenRecord | undefined> {
    if (!isTokenId(tokenId)) return undefined;
    const eventId = this.ids.uuid();
    let found = false;
    // The token's history, read under its tag's lock, says whether it exists and whose it is.
    await this.store.withConsistency([tokenTag(tokenId)], async ({ history }) => {
      const { created, revoked } = tokenHistoryOf(history);
      found = created !== undefined && (ownedBy === undefined || created.accessKeyId === ownedBy);
      if (!created || !found || revoked) return [];
      const revokedAt = this.clock.now();
      return {
        events: [tokenRevokedEvent(eventId, created, actor, revokedAt)],
        alongside: [revokeTokenSql(created.tokenId, actor.name, revokedAt)],
      };
    });
    if (!found) return undefined;
    this.onRevoked(tokenId);
    return findTokenById(this.db, tokenId);
  }
}
