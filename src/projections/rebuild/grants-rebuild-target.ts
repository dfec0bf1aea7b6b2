import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../../event-store/event.types';
import type { RebuildTarget, ReplayedBatch } from './rebuild-target';

/** The grants model's name (db/migrations/0016_kms_grants.sql). */
export const GRANTS = 'grants';

export const GRANTS_TABLES = ['kms_grants'] as const;

/**
 * The grants model, which its own trigger keeps in the appending transaction (db/functions/kms_grants.sql),
 * apart from the `current` model: rebuilding `current` leaves it alone, and rebuilding it leaves
 * `current` alone. It is replayed with kms_grants_replay, which applies events with the trigger's
 * own kms_grants_apply, inside the database.
 *
 * The swap's argument is `current`'s (current-rebuild-target.ts): every event the model applies
 * (the grant events and KeyDeleted) writes kms_grants in its trigger, so once freeze() holds the live
 * table IN EXCLUSIVE MODE no such event can commit, each committed one is visible to the frozen
 * replay, and an uncommitted one waits in its trigger and then writes the swapped-in table.
 */
export class GrantsRebuildTarget implements RebuildTarget {
  readonly name = GRANTS;
  readonly tables = GRANTS_TABLES;

  async replay(
    trx: Transaction<Database>,
    after: Checkpoint,
    limit: number,
    frozen: boolean,
  ): Promise<ReplayedBatch | undefined> {
    const { rows } = await sql<{ events_read: number; last_tx: string; last_pos: string }>`
      SELECT events_read, last_tx::text AS last_tx, last_pos::text AS last_pos
        FROM kms_grants_replay(${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint,
                               ${limit}::int, ${!frozen})`.execute(trx);
    const row = rows[0]!;
    if (row.events_read === 0) return undefined;
    return {
      events: row.events_read,
      last: { transactionId: BigInt(row.last_tx), position: BigInt(row.last_pos) },
    };
  }

  async freeze(trx: Transaction<Database>): Promise<void> {
    await sql`LOCK TABLE public.kms_grants IN EXCLUSIVE MODE`.execute(trx);
  }

  /** Inline: there is no checkpoint to move. */
  async adopt(): Promise<void> {}
}
