import { type Kysely, sql } from 'kysely';
import type { Pool } from 'pg';
import type { Database } from '../database/database.types';
import { START } from './checkpoint';
import { EVENT_COLUMNS, EVENTS_JSON, type EventRow, parseEvents, sameJson, toStoredEvent } from './event-rows';
import { EventIdConflictError } from './event-id-conflict';
import { UnitBatcher, type UnitRead, type Work, type WritePathStatus } from './unit-batcher';
import type { AppendResult, Checkpoint, NewEvent, StoredEvent } from './event.types';

export interface EventStoreHooks {
  /** Called after a commit that wrote at least one event; wakes subscribers. Must not throw. */
  readonly afterCommit?: (written: number, seconds: number) => void;
  /** Write transactions at once in this process; more concurrent units share them. */
  readonly writeConcurrency?: number;
  /** Streams a unit reads summarised rather than whole (UnitRead); all are read whole without it. */
  readonly unitRead?: UnitRead;
}

/**
 * The `events` table's own API: units of work, appends and reads (the other statements on it are in queries/).
 *
 * @example
 * await store.withConsistency(['alias:1:us-east-1:alias/x'], async ({ history }) =>
 *   history.length ? [] : [{ eventId, type: 'AliasCreated', tags, data, occurredAt }]);
 */
export class EventStore {
  private readonly batcher: UnitBatcher;

  constructor(
    pool: Pool,
    private readonly db: Kysely<Database>,
    hooks: EventStoreHooks = {},
  ) {
    this.batcher = new UnitBatcher(
      pool,
      {
        concurrency: hooks.writeConcurrency ?? 2,
        maxBatchSize: 64,
        replay: (events) => this.replayOf(events),
        afterCommit: hooks.afterCommit,
      },
      hooks.unitRead,
    );
  }

  /**
   * How units read the streams some feature summarises (the KMS writer passes its read, so that the
   * event store imports no feature). Called once, at start-up, before any unit runs; a second,
   * different read is an error, since units batched together share one read.
   */
  readUnitsWith(read: UnitRead): void {
    this.batcher.readUnitsWith(read);
  }

  /**
   * Runs `work` in a READ COMMITTED transaction that first takes a transaction-scoped advisory lock
   * per tag (in key order, so units never deadlock), then reads the tags' history, so the history
   * stays current while the transaction lives; the events `work` returns are appended and committed
   * with it, and so are the statements it may return beside them on its feature's tables (UnitWrites). If `work` throws, nothing of it is appended. The lock comes before the read on purpose:
   * positions are assigned before commit, so "nothing newer than position P" cannot be checked safely.
   * Concurrent units on other tags may share the transaction (group commit; see UnitBatcher), so
   * `work` must decide from the history alone: it may run again if its batch fails.
   *
   * Idempotency: when every event id of the unit is stored already with the same type and payload,
   * the stored events are returned and nothing is written; any other reuse of an id is a conflict.
   */
  withConsistency(tags: readonly string[], work: Work): Promise<AppendResult> {
    return this.batcher.submit(tags, work);
  }

  /** The write path now: transactions running, units queued, the age of the oldest transaction. */
  writePath(): WritePathStatus {
    return this.batcher.status();
  }

  /**
   * A unit whose ids were all stored before (a retried command) returns the stored events. Called
   * after the unit rolled back on a duplicate id: that row is committed, so it is visible now.
   */
  private async replayOf(events: readonly NewEvent[]): Promise<AppendResult> {
    const ids = events.map((event) => event.eventId.toLowerCase());
    const { rows } = await sql<EventRow>`
      SELECT ${sql.raw(EVENT_COLUMNS)} FROM events WHERE event_id = ANY(${ids}::uuid[])`.execute(this.db);
    const byId = new Map(rows.map((row) => [row.event_id, toStoredEvent(row)]));
    const replayed = events.map((event, index) => {
      const stored = byId.get(ids[index]!);
      if (!stored)
        throw new EventIdConflictError(
          `event id ${event.eventId} is stored already, but ${ids.find((id) => !byId.has(id))} is not: a replay must repeat a whole unit of work`,
        );
      if (stored.type !== event.type || !sameJson(stored.data, JSON.parse(JSON.stringify(event.data)))) {
        throw new EventIdConflictError(`event id ${event.eventId} is stored already with a different type or payload`);
      }
      return stored;
    });
    return { events: replayed, written: 0 };
  }

  /** Which of these event ids are stored (lower-case), for a unit whose outcome was unknown (OutcomeUnknown). */
  async storedEventIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { rows } = await sql<{ event_id: string }>`
      SELECT event_id::text FROM events WHERE event_id = ANY(${ids.map((id) => id.toLowerCase())}::uuid[])`.execute(
      this.db,
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /** Appends without consistency tags to lock: for events no decision depends on. */
  append(events: readonly NewEvent[]): Promise<AppendResult> {
    return this.withConsistency([], async () => events);
  }

  /**
   * As `append`, for a writer that never reads back what it appended (the audit recorder): resolves
   * with how many rows it wrote, sparing a stored copy of each event's payload.
   */
  async appendWithoutCopies(events: readonly NewEvent[]): Promise<number> {
    return (await this.batcher.submit([], async () => events, false)).written;
  }

  /** Committed events carrying any of `tags`, in append order (outside a unit of work: a snapshot). */
  async readByTags(tags: readonly string[]): Promise<StoredEvent[]> {
    const { rows } = await sql<EventRow>`
      SELECT ${sql.raw(EVENT_COLUMNS)} FROM events WHERE tags && ${[...tags]}::text[] ORDER BY position`.execute(
      this.db,
    );
    return rows.map(toStoredEvent);
  }

  /**
   * The next committed events after `after`, in (transactionId, position) order, never past the oldest
   * transaction still running: a transaction that commits later always has an id at or above that
   * barrier, so nothing can ever appear behind a reader that checkpoints the pair.
   *
   * With `whole`, only events of those types come whole; the others come with their position,
   * transaction, id, type and times but no tags, data or metadata (null data, empty metadata): a
   * reader that needs a few types still moves past every event, without the database serialising
   * and Node parsing the payloads it would skip (most of the log is audit records).
   */
  async readAll(
    options: { after?: Checkpoint; limit?: number; whole?: readonly string[] } = {},
  ): Promise<StoredEvent[]> {
    const after = options.after ?? START;
    const unread = sql`
        SELECT * FROM events
        WHERE (transaction_id, position) > (${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, position
        LIMIT ${options.limit ?? 500}`;
    const whole = options.whole;
    const { rows } = whole
      ? await sql<{ events: string }>`
      SELECT ${sql.raw(EVENTS_JSON)} FROM (
        SELECT position, transaction_id, event_id, type, schema_version, occurred_at, recorded_at,
               CASE WHEN type = ANY(${[...whole]}::text[]) THEN tags ELSE '{}' END AS tags,
               CASE WHEN type = ANY(${[...whole]}::text[]) THEN data END AS data,
               CASE WHEN type = ANY(${[...whole]}::text[]) THEN metadata ELSE '{}' END AS metadata
          FROM (${unread}) AS u) e`.execute(this.db)
      : await sql<{ events: string }>`SELECT ${sql.raw(EVENTS_JSON)} FROM (${unread}) e`.execute(this.db);
    return parseEvents(rows[0]!.events);
  }

  /** The checkpoints of what readAll would return: for readers that track progress only. */
  async readCheckpoints(options: { after?: Checkpoint; limit?: number } = {}): Promise<Checkpoint[]> {
    const after = options.after ?? START;
    const { rows } = await sql<{ transaction_id: string; position: string }>`
      SELECT transaction_id::text AS transaction_id, position FROM events
      WHERE (events.transaction_id, events.position) > (${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint)
        AND events.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.transaction_id, events.position
      LIMIT ${options.limit ?? 500}`.execute(this.db);
    return rows.map((row) => ({ transactionId: BigInt(row.transaction_id), position: BigInt(row.position) }));
  }

  /** Events after `after`, readable or still behind the barrier: how far a reader at `after` trails. */
  async backlog(after: Checkpoint, cap = 100_000): Promise<{ events: number; oldestAgeSeconds: number }> {
    const { rows } = await sql<{ events: number; age: number | null }>`
      SELECT count(*)::int AS events,
             greatest(0, extract(epoch FROM clock_timestamp() - min(recorded_at)))::float8 AS age
      FROM (
        SELECT recorded_at FROM events
        WHERE (transaction_id, position) > (${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint)
        LIMIT ${cap}) AS unread`.execute(this.db);
    return { events: rows[0]?.events ?? 0, oldestAgeSeconds: rows[0]?.age ?? 0 };
  }

  /** The checkpoint of the newest event readable now: where a reader that wants only new events starts. */
  async head(): Promise<Checkpoint> {
    const { rows } = await sql<{ transaction_id: string; position: string }>`
      SELECT transaction_id::text, position FROM events
      WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1`.execute(this.db);
    const row = rows[0];
    return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : START;
  }
}
