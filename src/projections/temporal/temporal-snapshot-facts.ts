import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import { START } from '../../event-store/checkpoint';
import type { Checkpoint } from '../../event-store/event.types';
import type { SnapshotMoment } from './stable-horizon';
import { TEMPORAL } from './temporal-aliases.projection';

/** What a reader's snapshot says about itself, read in one round trip at its start. */
export interface TemporalSnapshotFacts {
  /** The projection's checkpoint: the log position every answer of the snapshot reflects. */
  readonly position: Checkpoint;
  readonly moment: SnapshotMoment;
  readonly xmin: bigint;
  /** The transaction-time cap the database enforces (db/migrations/0007); undefined when off. */
  readonly capMs: number | undefined;
}

/**
 * Reads the facts inside `trx`, a REPEATABLE READ transaction, as its first statement: `now()` is the
 * transaction's start, so it comes no later than the snapshot this statement takes.
 */
export async function readTemporalSnapshotFacts(trx: Kysely<Database>): Promise<TemporalSnapshotFacts> {
  const { rows } = await sql<{
    transaction_id: string | null;
    position: string | null;
    at: Date;
    xmin: string;
    xmax: string;
    cap_ms: number | null;
  }>`
    SELECT c.transaction_id::text AS transaction_id, c.position::text AS position, now() AS at,
           pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
           pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
           (SELECT extract(epoch FROM cap)::float8 * 1000 FROM event_time_cap) AS cap_ms
      FROM (SELECT 1) AS one
      LEFT JOIN projection_checkpoints c ON c.name = ${TEMPORAL}`.execute(trx);
  const row = rows[0]!;
  return {
    position:
      row.transaction_id === null
        ? START
        : { transactionId: BigInt(row.transaction_id), position: BigInt(row.position!) },
    moment: { at: row.at, xmax: BigInt(row.xmax) },
    xmin: BigInt(row.xmin),
    capMs: row.cap_ms ?? undefined,
  };
}
