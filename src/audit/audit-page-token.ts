import { createHash } from 'node:crypto';

/** Where a page of audit records ends: the last record's event time and store order. */
export interface AuditCursor {
  readonly eventTime: Date;
  readonly seq: bigint;
}

/** A token that is not one of ours, or was issued for other search parameters. */
export class InvalidPageToken extends Error {}

/**
 * Page tokens are opaque to callers but bound to the search they came from: the same token with
 * other filters is refused (spec §18, InvalidNextTokenException) instead of silently skipping.
 */
export function encodePageToken(cursor: AuditCursor, search: unknown): string {
  const body = { t: cursor.eventTime.toISOString(), s: cursor.seq.toString(), f: fingerprint(search) };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodePageToken(token: string, search: unknown): AuditCursor {
  let body: { t?: unknown; s?: unknown; f?: unknown };
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof body;
  } catch {
    throw new InvalidPageToken('not a page token');
  }
  if (typeof body.t !== 'string' || typeof body.s !== 'string' || !/^\d{1,19}$/.test(body.s)) {
    throw new InvalidPageToken('not a page token');
  }
  const eventTime = new Date(body.t);
  if (Number.isNaN(eventTime.getTime())) throw new InvalidPageToken('not a page token');
  if (body.f !== fingerprint(search)) throw new InvalidPageToken('the token belongs to other search parameters');
  const cursor = { eventTime, seq: BigInt(body.s) };
  // Only tokens we could have issued: a re-encoding must give the same token back.
  if (encodePageToken(cursor, search) !== token) throw new InvalidPageToken('not a page token');
  return cursor;
}

function fingerprint(search: unknown): string {
  return createHash('sha256').update(JSON.stringify(search)).digest('base64url').slice(0, 16);
}
