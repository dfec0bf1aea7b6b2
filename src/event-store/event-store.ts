import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../database/database.types';
import { START } from './checkpoint';
import { EVENT_COLUMNS, type EventRow, sameJson, toInsertRow, toStoredEvent } from './event-rows';
import type { AppendResult, Checkpoint, NewEvent, StoredEvent } from './event.types';

/** A replayed event id arrived with a different type or payload than the stored event. */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
}

/** What a unit of work sees: the history of its tags, read after their locks were taken. */
export interface UnitOfWork {
  /** Every committed event carrying any of the unit's tags, in append order. */
  readonly history: readonly StoredEvent[];
  /** The transaction, for reads the decision needs beyond the history. */
  readonly tx: Transaction<Database>;
  /** Appends now, inside the transaction (the events returned by the work are appended after it). */
  append(events: readonly NewEvent[]): Promise<AppendResult>;
}

export interface EventStoreHooks {
  /** Called after a commit that wrote at least one event; wakes subscribers. Must not throw. */
  readonly afterCommit?: (written: number, seconds: number) => void;
}

/**
 * The only code that touches the `events` table.
 *
 * @example
 * await store.withConsistency(['alias:1:us-east-1:alias/x'], async ({ history }) =>
 *   history.length ? [] : [{ eventId, type: 'AliasCreated', tags, data, occurredAt }]);
 */
export class EventStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hooks: EventStoreHooks = {},
  ) {}

  /**
   * Runs `work` in one READ COMMITTED transaction that first takes a transaction-scoped advisory lock
   * per tag (sorted, so two units never deadlock), then reads the tags' history, so the history is
   * current for as long as the transaction lives; the events `work` returns are appended before commit.
   * Anything `work` throws rolls the whole unit back. The lock is taken before the read on purpose:
   * positions are assigned before commit, so "nothing newer than position P" cannot be checked safely.
   */
  async withConsistency(
    tags: readonly string[],
    work: (unit: UnitOfWork) => Promise<readonly NewEvent[] | void>,
  ): Promise<AppendResult> {
    const started = process.hrtime.bigint();
    const stored: StoredEvent[] = [];
    let written = 0;
    await this.db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(async (tx) => {
        await lockTags(tx, tags);
        const history = tags.length > 0 ? await readByTags(tx, tags) : [];
        const append = async (events: readonly NewEvent[]) => {
          const result = await insertEvents(tx, events);
          stored.push(...result.events);
          written += result.written;
          return result;
        };
        const returned = await work({ history, tx, append });
        if (returned && returned.length > 0) await append(returned);
      });
    if (written > 0) this.hooks.afterCommit?.(written, Number(process.hrtime.bigint() - started) / 1e9);
    return { events: stored, written };
  }

  /** Appends without consistency tags to lock: for events no decision depends on. */
  append(events: readonly NewEvent[]): Promise<AppendResult> {
    return this.withConsistency([], async () => events);
  }

  /** Committed events carrying any of `tags`, in append order (outside a unit of work: a snapshot). */
  readByTags(tags: readonly string[]): Promise<StoredEvent[]> {
    return readByTags(this.db, tags);
  }

  /**
   * The next committed events after `after`, in (transactionId, position) order, never past the oldest
   * transaction still running: a transaction that commits later always has an id at or above that
   * barrier, so nothing can ever appear behind a reader that checkpoints the pair.
   */
  async readAll(options: { after?: Checkpoint; limit?: number } = {}): Promise<StoredEvent[]> {
    const after = options.after ?? START;
    const { rows } = await sql<EventRow>`
      SELECT ${sql.raw(EVENT_COLUMNS)} FROM events
      WHERE (transaction_id, position) > (${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint)
        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY transaction_id, position
      LIMIT ${options.limit ?? 500}`.execute(this.db);
    return rows.map(toStoredEvent);
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
      ORDER BY transaction_id DESC, position DESC LIMIT 1`.execute(this.db);
    const row = rows[0];
    return row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : START;
  }
}

async function lockTags(tx: Transaction<Database>, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  // One statement; the aggregate consumes the sorted subquery row by row, so locks are taken in key order.
  await sql`
    SELECT count(pg_advisory_xact_lock(key)) FROM (
      SELECT DISTINCT hashtextextended(tag, 0) AS key FROM unnest(${[...tags]}::text[]) AS tag ORDER BY key
    ) AS keys`.execute(tx);
}

async function readByTags(db: Kysely<Database>, tags: readonly string[]): Promise<StoredEvent[]> {
  const { rows } = await sql<EventRow>`
    SELECT ${sql.raw(EVENT_COLUMNS)} FROM events WHERE tags && ${[...tags]}::text[] ORDER BY position`.execute(db);
  return rows.map(toStoredEvent);
}

/**
 * Inserts in one statement. An event id that is stored already is not written again; the stored event
 * is returned in its place, provided it is the same event (same type and payload).
 */
async function insertEvents(tx: Transaction<Database>, events: readonly NewEvent[]): Promise<AppendResult> {
  if (events.length === 0) return { events: [], written: 0 };
  const ids = events.map((event) => event.eventId.toLowerCase());
  if (new Set(ids).size !== ids.length) throw new EventIdConflictError('the same event id appears twice in one append');
  const inserted = await tx
    .insertInto('events')
    .values(events.map(toInsertRow))
    .onConflict((conflict) => conflict.column('event_id').doNothing())
    .returningAll()
    .execute();
  const byId = new Map(inserted.map((row) => [row.event_id, toStoredEvent(row as EventRow)]));
  if (byId.size < events.length) {
    const missing = ids.filter((id) => !byId.has(id));
    const { rows } = await sql<EventRow>`
      SELECT ${sql.raw(EVENT_COLUMNS)} FROM events WHERE event_id = ANY(${missing}::uuid[])`.execute(tx);
    for (const row of rows) byId.set(row.event_id, toStoredEvent(row));
  }
  const result = events.map((event, index) => {
    const stored = byId.get(ids[index]!);
    if (!stored) throw new Error(`event ${event.eventId} was neither inserted nor found`);
    if (stored.type !== event.type || !sameJson(stored.data, JSON.parse(JSON.stringify(event.data)))) {
      throw new EventIdConflictError(`event id ${event.eventId} is stored already with a different type or payload`);
    }
    return stored;
  });
  return { events: result, written: inserted.length };
}
