import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../../event-store/event.types';
import { type RebuildPhase, type RebuildProgress, type RebuildStatus, etaSeconds } from './rebuild-progress';

/**
 * The rebuilds' record, projection_rebuilds (db/migrations/0008): any instance, and the CLI, can
 * tell how a rebuild goes. While one runs, its row is also the shadow's checkpoint.
 */

/** Records a new rebuild; rows left `running` by a process that died are closed as failed. */
export async function beginRun(
  db: Kysely<Database>,
  rebuildId: string,
  projection: string,
  eventsTotal: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Only the holder of the projection's rebuild lock calls this: no other run is alive.
    await sql`
      UPDATE projection_rebuilds SET status = 'failed', error = 'interrupted', finished_at = clock_timestamp()
       WHERE projection = ${projection} AND status = 'running'`.execute(trx);
    await sql`
      INSERT INTO projection_rebuilds (rebuild_id, projection, events_total)
      VALUES (${rebuildId}::uuid, ${projection}, ${eventsTotal})`.execute(trx);
  });
}

/** Moves the shadow's checkpoint and the count, in the transaction that replayed the batch. */
export async function recordBatch(
  trx: Transaction<Database> | Kysely<Database>,
  rebuildId: string,
  phase: RebuildPhase,
  at: Checkpoint,
  eventsDone: number,
): Promise<void> {
  await sql`
    UPDATE projection_rebuilds
       SET phase = ${phase}, transaction_id = ${at.transactionId.toString()}::xid8, position = ${at.position.toString()}::bigint,
           events_done = ${eventsDone}, events_total = greatest(events_total, ${eventsDone}), updated_at = clock_timestamp()
     WHERE rebuild_id = ${rebuildId}::uuid`.execute(trx);
}

export async function finishRun(
  db: Transaction<Database> | Kysely<Database>,
  rebuildId: string,
  status: Exclude<RebuildStatus, 'running'>,
  error?: string,
): Promise<void> {
  await sql`
    UPDATE projection_rebuilds
       SET status = ${status}, phase = CASE WHEN ${status} = 'done' THEN 'swapped' ELSE phase END,
           error = ${error ?? null}, finished_at = clock_timestamp(), updated_at = clock_timestamp()
     WHERE rebuild_id = ${rebuildId}::uuid`.execute(db);
}

interface RunRow {
  rebuild_id: string;
  projection: string;
  status: RebuildStatus;
  phase: RebuildPhase;
  events_done: string;
  events_total: string;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
  error: string | null;
  seconds: number;
}

/** The latest rebuild of `projection`, with its average rate; undefined if there was none. */
export async function latestRun(db: Kysely<Database>, projection: string): Promise<RebuildProgress | undefined> {
  const { rows } = await sql<RunRow>`
    SELECT rebuild_id::text, projection, status, phase, events_done::text, events_total::text, started_at,
           updated_at, finished_at, error,
           extract(epoch FROM coalesce(finished_at, clock_timestamp()) - started_at)::float8 AS seconds
      FROM projection_rebuilds WHERE projection = ${projection}
     ORDER BY started_at DESC LIMIT 1`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const [done, total] = [Number(row.events_done), Number(row.events_total)];
  const rate = row.seconds > 0 ? done / row.seconds : 0;
  return {
    rebuildId: row.rebuild_id,
    projection: row.projection,
    status: row.status,
    phase: row.phase,
    eventsDone: done,
    eventsTotal: total,
    eventsPerSecond: rate,
    etaSeconds: row.status === 'running' ? etaSeconds(done, total, rate) : 0,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
    error: row.error ?? undefined,
  };
}
