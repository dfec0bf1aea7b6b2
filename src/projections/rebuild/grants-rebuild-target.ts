import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../../event-store/event.types';
import { replayInDatabase } from './in-database-replay';
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

  replay(
    trx: Transaction<Database>,
    after: Checkpoint,
    limit: number,
    frozen: boolean,
  ): Promise<ReplayedBatch | undefined> {
    return replayInDatabase(trx, 'kms_grants_replay', after, limit, frozen);
  }

  async freeze(trx: Transaction<Database>): Promise<void> {
    await sql`LOCK TABLE public.kms_grants IN EXCLUSIVE MODE`.execute(trx);
  }

  /** Inline: there is no checkpoint to move. */
  async adopt(): Promise<void> {}
}
