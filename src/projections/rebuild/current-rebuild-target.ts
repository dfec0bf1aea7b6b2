import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../../event-store/event.types';
import { loadCurrent } from '../../event-store/queries/current-load';
import { replayInDatabase } from './in-database-replay';
import type { RebuildTarget, ReplayedBatch } from './rebuild-target';

/** The inline projection's name (db/migrations/0002_kms_current.sql). */
export const CURRENT = 'current';

/** Its tables; kms_current_apply writes them by unqualified name. */
export const CURRENT_TABLES = ['kms_keys', 'kms_aliases'] as const;

/**
 * The `current` model, which a trigger keeps in the appending transaction. A rebuild loads it with a
 * few set-based statements (current-load.ts), then replays what came since with the same
 * kms_current_apply, inside the database (kms_current_replay, db/migrations/0008): shipping each
 * event to Node and back would only add two trips for a function that runs in PostgreSQL.
 *
 * The swap must leave out no event and apply none twice, although writers keep appending and the
 * trigger keeps writing the live tables. freeze() locks both live tables IN EXCLUSIVE MODE: readers
 * (ACCESS SHARE) go on, writers of the tables do not. Every KMS event's trigger writes one of these
 * tables, and a writer holds that lock until its transaction ends. So once the lock is granted:
 * - a transaction that committed a KMS event before is visible to the statements that follow (it
 *   released its table lock only after its commit became visible), and the frozen replay, which
 *   reads every committed event after the shadow's checkpoint, not only those below the barrier,
 *   gives it to the shadow;
 * - a transaction that has inserted a KMS event but not committed is stuck in its trigger, waiting
 *   for this lock (had it got its table lock first, the freeze would have waited for it to end);
 *   its event is invisible to the swap, and after the swap commits its trigger, planned again by
 *   name since the tables it had planned for are gone, writes it into the new tables;
 * - no transaction can commit a KMS event in between.
 * Nothing that the shadow's barrier-safe checkpoint had passed can still commit (that is what the
 * barrier is for), so the shadow then holds exactly the committed KMS events, like the live model.
 * Order: per entity, events are serialised by the tag locks, so applying them in (transaction id,
 * position) order is the commit order that matters. Writers wait for the swap's length only.
 *
 * A writer that has written one table and waits for the other while the swap holds the first would
 * deadlock with it; the lock timeout, shorter than deadlock_timeout, makes the swap the one that
 * gives up (and retries), never the writer.
 */
export class CurrentRebuildTarget implements RebuildTarget {
  readonly name = CURRENT;
  readonly tables = CURRENT_TABLES;

  replay(
    trx: Transaction<Database>,
    after: Checkpoint,
    limit: number,
    frozen: boolean,
  ): Promise<ReplayedBatch | undefined> {
    return replayInDatabase(trx, 'kms_current_replay', after, limit, frozen);
  }

  /** The set-based load (current-load.ts): the rows the replay would have written. */
  load(trx: Transaction<Database>, through: Checkpoint): Promise<number> {
    return loadCurrent(trx, through);
  }

  async freeze(trx: Transaction<Database>): Promise<void> {
    await sql`LOCK TABLE public.kms_keys, public.kms_aliases IN EXCLUSIVE MODE`.execute(trx);
  }

  /** Inline: there is no checkpoint to move. */
  async adopt(): Promise<void> {}
}
