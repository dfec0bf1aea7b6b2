import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import { checkpointOf, compareCheckpoints } from '../../event-store/checkpoint';
import type { EventStore } from '../../event-store/event-store';
import type { Checkpoint, StoredEvent } from '../../event-store/event.types';
import type { Projection } from '../projection';
import type { RebuildTarget, ReplayedBatch } from './rebuild-target';

/**
 * A projection that ProjectionRunner runs, rebuilt by handing the log to its own `apply` in large
 * batches. Reads go through the store's barrier-safe readAll, one batch ahead of the apply (on
 * another connection), so reading and writing overlap.
 *
 * The swap takes the live checkpoint row FOR UPDATE, as every runner does before it applies: the
 * live runners wait, so the live tables stand still until the swap commits, and then the runners go
 * on from the checkpoint the swap leaves, the shadow's. That checkpoint is barrier-safe like any
 * other, whatever the live one was: the live tables are replaced, not merged.
 */
export class RunnerRebuildTarget implements RebuildTarget {
  readonly name: string;
  readonly tables: readonly string[];
  readonly load?: (trx: Transaction<Database>, through: Checkpoint) => Promise<number>;
  private ahead: { after: Checkpoint; limit: number; events: Promise<StoredEvent[]> } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly projection: Projection,
  ) {
    this.name = projection.name;
    this.tables = projection.tables;
    if (projection.load) this.load = projection.load.bind(projection);
  }

  async replay(
    trx: Transaction<Database>,
    after: Checkpoint,
    limit: number,
    frozen: boolean,
  ): Promise<ReplayedBatch | undefined> {
    const events = await this.read(after, limit, !frozen);
    if (events.length === 0) return undefined;
    await this.projection.apply(trx, events);
    return { events: events.length, last: checkpointOf(events[events.length - 1]!) };
  }

  async freeze(trx: Transaction<Database>): Promise<void> {
    await sql`INSERT INTO projection_checkpoints (name) VALUES (${this.name}) ON CONFLICT (name) DO NOTHING`.execute(
      trx,
    );
    await sql`SELECT 1 FROM projection_checkpoints WHERE name = ${this.name} FOR UPDATE`.execute(trx);
  }

  async adopt(trx: Transaction<Database>, at: Checkpoint, eventsApplied: number): Promise<void> {
    await sql`
      UPDATE projection_checkpoints
         SET transaction_id = ${at.transactionId.toString()}::xid8, position = ${at.position.toString()}::bigint,
             events_applied = ${eventsApplied}, updated_at = clock_timestamp(),
             failed_position = NULL, failed_event_id = NULL, failure = NULL, failed_at = NULL
       WHERE name = ${this.name}`.execute(trx);
  }

  /** The batch after `after`: the one read ahead if it starts there, else a fresh read; then reads ahead. */
  private async read(after: Checkpoint, limit: number, readAhead: boolean): Promise<StoredEvent[]> {
    const ahead = this.ahead;
    this.ahead = undefined;
    const events =
      ahead && ahead.limit === limit && compareCheckpoints(ahead.after, after) === 0
        ? await ahead.events
        : await this.store.readAll({ after, limit, whole: this.projection.reads });
    if (readAhead && events.length === limit) {
      const next = checkpointOf(events[events.length - 1]!);
      const read = this.store.readAll({ after: next, limit, whole: this.projection.reads });
      read.catch(() => undefined); // an unused read's failure is nobody's; a used one rethrows above
      this.ahead = { after: next, limit, events: read };
    }
    return events;
  }
}
