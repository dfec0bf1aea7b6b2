import type { Transaction } from 'kysely';
import type { Database } from '../database/database.types';
import type { StoredEvent } from '../event-store/event.types';

/** A read model built asynchronously from the log (design §6). */
export interface Projection {
  /** Its checkpoint's name; stable across releases. */
  readonly name: string;
  /**
   * Applies `events`, in log order, inside the transaction that also moves the checkpoint past
   * them: both commit or neither does. Throwing stops the projection before the failing event.
   */
  apply(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void>;
}
