import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';
import type { AppendListener } from '../event-store/append-listener';
import { checkpointOf, compareCheckpoints } from '../event-store/checkpoint';
import type { EventStore } from '../event-store/event-store';
import { EventSubscription } from '../event-store/event-subscription';
import type { Checkpoint, StoredEvent } from '../event-store/event.types';
import type { Projection } from './projection';

/** A projection stopped on an event: which one, and the projection's error. */
export class ProjectionFailure extends Error {
  override readonly name = 'ProjectionFailure';

  constructor(
    readonly projection: string,
    readonly event: StoredEvent,
    override readonly cause: Error,
  ) {
    super(
      `projection ${projection} failed on event ${event.position} (${event.type} ${event.eventId}): ${cause.message}`,
    );
  }
}

export interface ProjectionRunnerOptions {
  readonly pollIntervalMs: number;
  readonly batchSize?: number;
  readonly onError?: (error: Error) => void;
}

/**
 * Runs one projection on the barrier-safe catch-up read (EventStore.readAll): each batch is applied
 * and the checkpoint moved past it in one transaction. The checkpoint row is locked first and only
 * events beyond it are applied, so instances that run the same projection apply each event once.
 * A batch that fails is applied again event by event, which commits what precedes the failing event
 * and names it; the projection then stays before that event, retrying with backoff, never skipping.
 */
export class ProjectionRunner {
  private subscription: EventSubscription<StoredEvent> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly db: Kysely<Database>,
    private readonly listener: AppendListener | undefined,
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
  ) {}

  /** Starts from the stored checkpoint; the subscription is what health and metrics inspect. */
  async start(): Promise<EventSubscription<StoredEvent>> {
    await sql`INSERT INTO projection_checkpoints (name) VALUES (${this.projection.name})
              ON CONFLICT (name) DO NOTHING`.execute(this.db);
    this.subscription = new EventSubscription<StoredEvent>(this.listener, {
      name: `projection:${this.projection.name}`,
      from: await this.checkpoint(this.db),
      pollIntervalMs: this.options.pollIntervalMs,
      batchSize: this.options.batchSize,
      read: (after, limit) => this.store.readAll({ after, limit, whole: this.projection.reads }),
      handle: (events) => this.applyOrName(events),
      onError: this.options.onError,
    });
    this.subscription.start();
    return this.subscription;
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  private async applyOrName(events: readonly StoredEvent[]): Promise<void> {
    try {
      await this.commit(events);
    } catch (error) {
      throw await this.failure(events, error as Error);
    }
  }

  /** Applies what lies beyond the stored checkpoint and moves it, in one transaction. */
  private async commit(events: readonly StoredEvent[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const stored = await this.checkpoint(trx, true);
      const fresh = events.filter((event) => compareCheckpoints(checkpointOf(event), stored) > 0);
      if (fresh.length === 0) return; // another instance applied them
      await this.projection.apply(trx, fresh);
      const last = checkpointOf(fresh[fresh.length - 1]!);
      await sql`
        UPDATE projection_checkpoints
           SET transaction_id = ${last.transactionId.toString()}::xid8, position = ${last.position.toString()}::bigint,
               events_applied = events_applied + ${fresh.length}, updated_at = clock_timestamp(),
               failed_position = NULL, failed_event_id = NULL, failure = NULL, failed_at = NULL
         WHERE name = ${this.projection.name}`.execute(trx);
    });
  }

  /** Applies the batch one event at a time to find the one that fails, and records it. */
  private async failure(events: readonly StoredEvent[], error: Error): Promise<Error> {
    let culprit: { event: StoredEvent; error: Error } | undefined =
      events.length === 1 ? { event: events[0]!, error } : undefined;
    for (let i = 0; !culprit && i < events.length; i++) {
      try {
        await this.commit([events[i]!]);
      } catch (single) {
        culprit = { event: events[i]!, error: single as Error };
      }
    }
    if (!culprit) return error; // the batch failed, yet each event alone went through: nothing to name
    await sql`
      UPDATE projection_checkpoints
         SET failed_position = ${culprit.event.position.toString()}::bigint, failed_event_id = ${culprit.event.eventId},
             failure = ${culprit.error.message}, failed_at = clock_timestamp()
       WHERE name = ${this.projection.name}`
      .execute(this.db)
      .catch(() => undefined); // the report is best effort; the error below still stops the projection
    return new ProjectionFailure(this.projection.name, culprit.event, culprit.error);
  }

  private async checkpoint(db: Kysely<Database>, lock = false): Promise<Checkpoint> {
    const { rows } = await sql<{ transaction_id: string; position: string }>`
      SELECT transaction_id::text AS transaction_id, position FROM projection_checkpoints
       WHERE name = ${this.projection.name} ${lock ? sql`FOR UPDATE` : sql``}`.execute(db);
    const row = rows[0];
    if (!row) throw new Error(`projection ${this.projection.name} has no checkpoint row`);
    return { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) };
  }
}
