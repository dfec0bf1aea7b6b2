import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../event.types';

/*
 * The ledger's reads of `events`, in the event store, which owns every statement on the table. The
 * ledger chooses the form of a row (`line`, SQL over the event aliased `e`: ledger-event.ts's
 * EVENT_LINE_SQL, the exact text it hashes); these functions choose which events and in what order.
 */

const BARRIER_READ = (after: Checkpoint) => sql`
  (e.transaction_id, e.position) > (${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint)
  AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;

/**
 * Whether the barrier-safe read after `after` would return anything: the idle poll, without a lock.
 * The first row in index order, not EXISTS: PostgreSQL plans an EXISTS over the row comparison as a
 * sequential scan (it guesses a tenth of the table matches), which read the whole log at every poll
 * when nothing was waiting (2.5 million rows in 10 s of crypto load on a 27,000-event log).
 */
export async function committedEventsWaiting(db: Kysely<Database>, after: Checkpoint): Promise<boolean> {
  const { rows } = await sql<{ waiting: boolean }>`
    SELECT true AS waiting FROM events e WHERE ${BARRIER_READ(after)}
     ORDER BY e.transaction_id, e.position LIMIT 1`.execute(db);
  return rows.length > 0;
}

/**
 * The next committed events after `after` in (transaction_id, position) order, never past the
 * oldest running transaction (EventStore.readAll's snapshot barrier), each as `line`.
 */
export async function committedEventLinesAfter(
  db: Kysely<Database>,
  after: Checkpoint,
  limit: number,
  line: string,
): Promise<string[]> {
  const { rows } = await sql<{ e: string }>`
    SELECT ${sql.raw(line)} AS e FROM events e
     WHERE ${BARRIER_READ(after)}
     ORDER BY e.transaction_id, e.position
     LIMIT ${limit}`.execute(db);
  return rows.map((row) => row.e);
}

/** The event with this id as `line`; undefined when none has it. Verify asks only for what failed. */
export async function eventLineById(db: Kysely<Database>, eventId: string, line: string): Promise<string | undefined> {
  const { rows } = await sql<{ e: string }>`
        SELECT ${sql.raw(line)} AS e FROM events e WHERE e.event_id = ${eventId}::uuid`.execute(db);
  return rows[0]?.e;
}

/** Events after `head` in log order (committed or not), counted up to a million: a rough figure. */
export async function eventsAfterCapped(
  db: Kysely<Database>,
  head: { transactionId: string; position: string },
): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM (SELECT 1 FROM events
     WHERE (transaction_id, position) > (${head.transactionId}::xid8, ${head.position}::bigint) LIMIT 1000000) AS after_head`.execute(
    db,
  );
  return Number(rows[0]!.n);
}
