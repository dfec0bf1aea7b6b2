import type { Scope } from '../kms/domain/identifiers';
import { InvalidPageToken, type PageTokenUse } from '../page-tokens/page-token-codec';

/** Where a page of audit records ends: the last record's event time and store order. */
export interface AuditCursor {
  readonly eventTime: Date;
  readonly seq: bigint;
}

/**
 * An audit search's tokens are bound to the API, the account and Region, and the search they came
 * from: the same token with other filters is refused (InvalidNextTokenException) instead
 * of silently skipping.
 */
export function auditTokenUse(listing: string, scope: Scope, search: unknown): PageTokenUse {
  return { listing, binding: { scope, search } };
}

/** The cursor as a token's payload: event time (epoch ms) and seq, 8 bytes each. */
export function auditCursorBytes(cursor: AuditCursor): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(cursor.eventTime.getTime()), 0);
  bytes.writeBigInt64BE(cursor.seq, 8);
  return bytes;
}

export function auditCursorOf(bytes: Buffer): AuditCursor {
  // Only an authenticated payload gets here; a wrong size means a token of another listing's shape.
  if (bytes.length !== 16) throw new InvalidPageToken('malformed');
  const [ms, seq] = [bytes.readBigInt64BE(0), bytes.readBigInt64BE(8)];
  if (ms < 0n || seq < 0n) throw new InvalidPageToken('malformed');
  return { eventTime: new Date(Number(ms)), seq };
}
