import type { Transaction } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../../event-store/event.types';

/** A batch replayed into the shadow: how many events it passed and the checkpoint after them. */
export interface ReplayedBatch {
  readonly events: number;
  readonly last: Checkpoint;
}

/**
 * A projection as a rebuild sees it: its tables, how to replay events into shadows of them, and
 * how to stop its live writes for the swap. Every call gets a transaction whose search_path finds
 * the shadow schema first, so the projection's own SQL, which names its tables unqualified, writes
 * the shadows.
 */
export interface RebuildTarget {
  readonly name: string;
  /** Its live tables in public, tables that others reference first. */
  readonly tables: readonly string[];
  /**
   * Applies to the shadow up to `limit` events after `after`, in log order; undefined when there
   * were none. Before the swap (`frozen` false) it reads below the snapshot barrier only; in the
   * swap transaction (`frozen` true, after `freeze`) it reads what the target's freeze makes safe.
   */
  replay(
    trx: Transaction<Database>,
    after: Checkpoint,
    limit: number,
    frozen: boolean,
  ): Promise<ReplayedBatch | undefined>;
  /**
   * Optional: builds the empty shadow tables, before their keys exist, from every event at or before
   * `through` (barrier-safe) in set-based statements instead of replaying them; the replay goes on
   * from `through`. Returns how many events it covered.
   */
  load?(trx: Transaction<Database>, through: Checkpoint): Promise<number>;
  /**
   * First step of the swap transaction: from here to its commit, nothing reaches the live model
   * that the shadow will not have too once `replay(…, frozen = true)` has run dry.
   */
  freeze(trx: Transaction<Database>): Promise<void>;
  /** Last step of the swap, once the shadows are the live tables: the live model goes on from `at`. */
  adopt(trx: Transaction<Database>, at: Checkpoint, eventsApplied: number): Promise<void>;
}
