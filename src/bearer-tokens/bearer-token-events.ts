import type { HistoryEvent, NewEvent } from '../event-store/event.types';
import type { TokenRecord } from './issued-token';

/*
 * The events of issued bearer tokens: who made or revoked which token, for which principal. They
 * carry neither the token nor its digest (the table keeps the digest): the event log and its ledger
 * exports are read and copied more widely than the table.
 */

export const BEARER_TOKEN_CREATED = 'BearerTokenCreated';
export const BEARER_TOKEN_REVOKED = 'BearerTokenRevoked';

/** A token's consistency tag: a revocation reads the token's history under it. */
export const tokenTag = (tokenId: string): string => `bearer-token:${tokenId.toLowerCase()}`;

export interface BearerTokenCreated {
  readonly tokenId: string;
  readonly accessKeyId: string;
  readonly accountId: string;
  /** The principal the token acts as. */
  readonly principalArn: string;
  readonly description: string;
  readonly expiresAt: string | null;
  readonly createdBy: string;
}

export interface BearerTokenRevoked {
  readonly tokenId: string;
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly revokedBy: string;
}

/** Who makes or revokes a token. */
export interface TokenActor {
  /** What the row's created_by or revoked_by says: the caller's principal ARN, or `cli:<user>`. */
  readonly name: string;
  /** The event's metadata: an admin call's request id, userIdentity and source address; the CLI's user. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** The principal a token acts as, as its events name it. */
export interface TokenOwner {
  readonly accessKeyId: string;
  readonly accountId: string;
  readonly arn: string;
}

export function tokenCreatedEvent(
  eventId: string,
  token: TokenRecord,
  owner: TokenOwner,
  actor: TokenActor,
): NewEvent<BearerTokenCreated> {
  return {
    eventId,
    type: BEARER_TOKEN_CREATED,
    tags: [tokenTag(token.tokenId)],
    data: {
      tokenId: token.tokenId,
      accessKeyId: owner.accessKeyId,
      accountId: owner.accountId,
      principalArn: owner.arn,
      description: token.description,
      expiresAt: token.expiresAt?.toISOString() ?? null,
      createdBy: actor.name,
    },
    metadata: actor.metadata,
    occurredAt: token.createdAt,
  };
}

export function tokenRevokedEvent(
  eventId: string,
  created: BearerTokenCreated,
  actor: TokenActor,
  occurredAt: Date,
): NewEvent<BearerTokenRevoked> {
  return {
    eventId,
    type: BEARER_TOKEN_REVOKED,
    tags: [tokenTag(created.tokenId)],
    data: {
      tokenId: created.tokenId,
      accessKeyId: created.accessKeyId,
      accountId: created.accountId,
      revokedBy: actor.name,
    },
    metadata: actor.metadata,
    occurredAt,
  };
}

/** What a token's history says: its creation (none: no such token), and whether it was revoked since. */
export function tokenHistoryOf(history: readonly HistoryEvent[]): {
  readonly created: BearerTokenCreated | undefined;
  readonly revoked: boolean;
} {
  const created = history.find((event) => event.type === BEARER_TOKEN_CREATED)?.data as BearerTokenCreated | undefined;
  return { created, revoked: history.some((event) => event.type === BEARER_TOKEN_REVOKED) };
}
