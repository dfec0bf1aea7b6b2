import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../database/database.types';
import type { Checkpoint } from './event.types';

/**
 * What query readers need to know about the log itself, kept here because only the event store
 * touches the `events` table. Every function reads through `db`, so inside a reader's snapshot it
 * sees that snapshot.
 */

/** Where a position stands: the checkpoint of its event, or why there is none. */
export type PositionLookup =
  { readonly found: Checkpoint } | { readonly missing: 'beyond-head' | 'no-event'; readonly head: bigint };

/**
 * The checkpoint (transaction id, position) of the committed event at `position`. A position past
 * the newest committed one is `beyond-head`; one below it without an event (a rolled-back
 * transaction's number: positions have gaps) is `no-event`. A client only learns a position once its
 * event is committed, so a missing one never appears later for it.
 */
export async function lookUpPosition(db: Kysely<Database>, position: bigint): Promise<PositionLookup> {
  const { rows } = await sql<{ transaction_id: string | null; head: string | null }>`
    SELECT (SELECT transaction_id::text FROM events WHERE position = ${position.toString()}::bigint) AS transaction_id,
           (SELECT max(position)::text FROM events) AS head`.execute(db);
  const row = rows[0]!;
  if (row.transaction_id !== null) return { found: { transactionId: BigInt(row.transaction_id), position } };
  const head = BigInt(row.head ?? 0);
  return { missing: position > head ? 'beyond-head' : 'no-event', head };
}

/** The newest committed event's position (0 for an empty log): what "everything committed so far" reaches. */
export async function headPosition(db: Kysely<Database>): Promise<bigint> {
  const { rows } = await sql<{ head: string }>`SELECT coalesce(max(position), 0)::text AS head FROM events`.execute(db);
  return BigInt(rows[0]!.head);
}

/**
 * SQL that is true when the event at the position in `positionColumn` comes at or before `through`
 * in log order, (transaction_id, position): the order projections apply events in.
 */
export function inLogPrefix(positionColumn: RawBuilder<unknown>, through: Checkpoint): RawBuilder<boolean> {
  return sql<boolean>`(EXISTS (
    SELECT 1 FROM events e
     WHERE e.position = ${positionColumn}
       AND (e.transaction_id, e.position) <= (${through.transactionId.toString()}::xid8, ${through.position.toString()}::bigint)))`;
}

/** The committed events after `after` in log order that a projection at `after` has not applied. */
export interface Unapplied {
  /** Capped at `limit` + 1: more than `limit` means "too many to say". */
  readonly count: number;
  /** The oldest event time among them (of the first `limit` + 1 only). */
  readonly oldestOccurredAt: Date | undefined;
}

/**
 * SQL for one row (count, oldest) of the unapplied events after the checkpoint in the two SQL
 * expressions given (a projection's checkpoint columns, say). Bounded, so a far-behind projection
 * (a rebuild) costs a query a fixed amount of reading. The bound is a literal, not a parameter:
 * a prepared statement's generic plan would otherwise guess a tenth of the table for it, cost itself
 * out, and have every execution planned again (temporal-snapshot-statement.ts).
 */
export function unappliedAfterSql(
  after: { transactionId: RawBuilder<unknown>; position: RawBuilder<unknown> },
  limit: number,
): RawBuilder<{ count: number; oldest: Date | null }> {
  return sql`
    SELECT count(*)::int AS count, min(occurred_at) AS oldest FROM (
      SELECT occurred_at FROM events
       WHERE (transaction_id, position) > (${after.transactionId}, ${after.position})
       ORDER BY transaction_id, position
       LIMIT ${sql.lit(limit + 1)}) AS unapplied`;
}

/**
 * SQL for the event at the position in `positionColumn` as a JSON cause: its type, id and position, and
 * the CloudTrail-style metadata of the call (docs/history-model.md#units-of-work-and-consistency); null
 * when there is no such event. What a read model that references events by position shows of them.
 */
export function eventCauseSql(positionColumn: RawBuilder<unknown>): RawBuilder<Record<string, unknown> | null> {
  return sql`(
    SELECT json_build_object('eventType', c.type, 'eventId', c.event_id, 'position', c.position::text,
                             'eventName', c.metadata->'eventName', 'requestId', c.metadata->'requestId',
                             'userIdentity', c.metadata->'userIdentity', 'invokedBy', c.metadata->'invokedBy',
                             'sourceIPAddress', c.metadata->'sourceIPAddress', 'userAgent', c.metadata->'userAgent')
      FROM events c WHERE c.position = ${positionColumn})`;
}
