import type { Transaction } from 'kysely';
import type { Database } from '../database/database.types';
import type { Checkpoint, StoredEvent } from '../event-store/event.types';

/** A read model built asynchronously from the log (docs/history-model.md#projections). */
export interface Projection {
  /** Its checkpoint's name; stable across releases. */
  readonly name: string;
  /**
   * Every table it writes, by the unqualified name its SQL uses (they live in the public schema),
   * tables that others reference first. A rebuild (src/projections/rebuild) replays the log into
   * shadows of exactly these, found first on the search_path, and swaps them in; so the SQL must
   * name no other table it writes, and must not qualify these with a schema. Its result must not
   * depend on where batches begin and end: a rebuild replays in far larger batches.
   */
  readonly tables: readonly string[];
  /**
   * The event types `apply` reads beyond position, ids, type and times; events of other types reach
   * it with no tags, data or metadata (EventStore.readAll's `whole`). Undefined: every event whole.
   */
  readonly reads?: readonly string[];
  /**
   * Applies `events`, in log order, inside the transaction that also moves the checkpoint past
   * them: both commit or neither does. Throwing stops the projection before the failing event.
   */
  apply(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void>;
  /**
   * Optional, for rebuilds: builds the (empty, unindexed) tables from every event at or before
   * `through` in log order, inside the database, in a few set-based statements; `apply` then goes on
   * from there. It must leave exactly the rows `apply` would have, batch after batch (a test compares
   * the two). `through` is barrier-safe: no event at or before it can still commit. Returns how many
   * events it covered.
   */
  load?(trx: Transaction<Database>, through: Checkpoint): Promise<number>;
}
