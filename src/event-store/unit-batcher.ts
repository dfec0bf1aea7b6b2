import type { Pool, PoolClient } from 'pg';
import { BEGIN_UNIT, appendAndCommitSql, openUnitSql } from './append-sql';
import { type AppendedRow, historyOf as historyOfTuples, parseHistory, toAppendedEvent } from './event-rows';
import type { AppendResult, HistoryEvent, NewEvent } from './event.types';
import { isConnectionLost } from '../database/database-errors';
import { OutcomeUnknown } from './outcome-unknown';
import { appendedRows, isUniqueViolation, lastResult, rollback } from './unit-session';
import { type UnitWrites, assertDistinctIds, historyOf, pendingEvent, writesOf } from './unit-decisions';

/** What a unit of work sees: the history of its tags, read after their locks were taken. */
export interface UnitOfWork {
  /**
   * Every event carrying any of the unit's tags, in append order (metadata left out): the committed
   * ones, then those that earlier units of the same batch decided, which commit before this unit's.
   * Of a summarised tag (UnitRead), only the committed events the read chose, but every pending one.
   */
  readonly history: readonly HistoryEvent[];
  /** What UnitRead said of each of the unit's summarised tags, as of the committed events. */
  readonly summaries: ReadonlyMap<string, unknown>;
}

/**
 * How round trip 1 reads, when some streams are not read whole: their tags are locked all the same,
 * and the read returns what it chose of their events plus a summary of each (kms-unit-read.ts).
 */
export interface UnitRead {
  summarised(tag: string): boolean;
  /** One statement whose single row has a text column `unit`: {"history": [...], "summaries": {tag: …}}. */
  sql(full: readonly string[], summarised: readonly string[]): string;
}

/** How the write path is doing, for /health/ready and /metrics. */
export interface WritePathStatus {
  /** Transactions writing now. */
  readonly running: number;
  /** Units waiting for a transaction. */
  readonly queued: number;
  /** How long the oldest running transaction has held its connection; null when none does. */
  readonly oldestRunningMs: number | null;
}

/** Decides from the history alone; it may run more than once (a failed batch is retried unit by unit). */
export type Work = (unit: UnitOfWork) => Promise<readonly NewEvent[] | UnitWrites | void>;

interface Pending {
  readonly tags: readonly string[];
  readonly work: Work;
  /** Whether the unit's result carries stored copies of its events (submit's `copies`). */
  readonly copies: boolean;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

export interface BatcherOptions {
  /** Transactions writing at once; units that arrive meanwhile queue and share the next one. */
  readonly concurrency: number;
  readonly maxBatchSize: number;
  /** Stored copies of a unit's events when all were appended before (a retried command). */
  readonly replay: (events: readonly NewEvent[]) => Promise<AppendResult>;
  readonly afterCommit?: (written: number, seconds: number) => void;
}

const EVENT_ID_UNIQUE = 'events_event_id_key';

const NOTHING_READ = { history: [] as HistoryEvent[], summaries: new Map<string, unknown>() };

/**
 * Group commit for units of work. Units that queue while `concurrency` transactions are busy are
 * run together in one transaction, two round trips in all: lock every tag and read their history,
 * then append all decided events and commit. A batch shares no tag with a running batch. Within a
 * batch, units decide one after another in arrival order, each seeing the events the earlier ones
 * decided on its tags, so units on one hot tag (many aliases onto one key) share a commit too and
 * each decides exactly as it would alone after the others. A unit whose work throws contributes
 * nothing; when the database rejects a batch, each of its units is run again alone, so one bad unit
 * fails alone. Across processes, the advisory locks in PostgreSQL keep units on one tag serial.
 */
export class UnitBatcher {
  private readonly queue: Pending[] = [];
  private readonly busyTags = new Set<string>();
  private running = 0;
  private pumpScheduled = false;
  /** When each running transaction got its connection, to tell a blocked write path from a busy one. */
  private readonly startedAt = new Set<{ readonly at: number }>();

  constructor(
    private readonly pool: Pool,
    private readonly options: BatcherOptions,
    /** Set once, before the first unit (EventStore.readUnitsWith); every tag is read whole without it. */
    private unitRead?: UnitRead,
  ) {}

  /** See EventStore.readUnitsWith. */
  readUnitsWith(read: UnitRead): void {
    if (this.unitRead && this.unitRead !== read) throw new Error('units are read one way: a second UnitRead');
    this.unitRead = read;
  }

  /**
   * Queues a unit. Without `copies`, its result's `events` is empty: a writer that never reads
   * back what it appended (the audit recorder) spares the copy of each event's payload.
   */
  submit(tags: readonly string[], work: Work, copies = true): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ tags: [...new Set(tags)], work, copies, resolve, reject });
      this.schedulePump();
    });
  }

  status(): WritePathStatus {
    let oldest: number | null = null;
    for (const { at } of this.startedAt) oldest = oldest === null ? at : Math.min(oldest, at);
    return {
      running: this.running,
      queued: this.queue.length,
      oldestRunningMs: oldest === null ? null : Date.now() - oldest,
    };
  }

  /** Batches are formed on the next turn of the event loop, so units submitted together go together. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.queue.length > 0) {
      // Spread what is queued over the free transactions rather than fill one and leave others idle.
      const size = Math.min(
        this.options.maxBatchSize,
        Math.ceil(this.queue.length / (this.options.concurrency - this.running)),
      );
      const batch = this.takeBatch(size);
      if (batch.length === 0) return; // every queued unit waits for a tag of a running batch
      const tags = batch.flatMap((unit) => unit.tags);
      tags.forEach((tag) => this.busyTags.add(tag));
      this.running += 1;
      void this.run(batch).finally(() => {
        tags.forEach((tag) => this.busyTags.delete(tag));
        this.running -= 1;
        this.schedulePump();
      });
    }
  }

  /**
   * Queued units in arrival order that share no tag with a running batch or with an earlier queued
   * unit left behind. Up to `size` units come for spreading; past it, only units sharing a tag with
   * the batch join it (up to the maximum), since no other transaction could take them anyway.
   */
  private takeBatch(size: number): Pending[] {
    const blocked = new Set(this.busyTags);
    const taken = new Set<string>();
    const batch: Pending[] = [];
    for (let i = 0; i < this.queue.length && batch.length < this.options.maxBatchSize;) {
      const unit = this.queue[i]!;
      const free = !unit.tags.some((tag) => blocked.has(tag));
      const joins = free && (batch.length < size || unit.tags.some((tag) => taken.has(tag)));
      if (joins) {
        batch.push(...this.queue.splice(i, 1));
        unit.tags.forEach((tag) => taken.add(tag));
      } else {
        unit.tags.forEach((tag) => blocked.add(tag));
        i += 1;
      }
    }
    return batch;
  }

  private async run(batch: readonly Pending[]): Promise<void> {
    const started = process.hrtime.bigint();
    const client = await this.pool.connect().catch((error: Error) => {
      batch.forEach((unit) => unit.reject(error));
    });
    if (!client) return;
    // From here on it holds a connection: the wait for one is the pool's to bound, not a block.
    const holding = { at: Date.now() };
    this.startedAt.add(holding);
    const decisions: { unit: Pending; events: NewEvent[]; alongside: readonly string[] }[] = [];
    let decided = false;
    let failure: unknown;
    let broken: Error | undefined;
    // A batch without tags (audit records) has nothing to lock or read: its transaction begins with
    // the append, one round trip in all (the empty read cost a millisecond of the database a batch).
    const tagless = batch.every((unit) => unit.tags.length === 0);
    try {
      const { history, summaries } = tagless ? NOTHING_READ : await this.open(client, batch);
      const seen: HistoryEvent[] = [...history];
      for (const unit of batch) {
        try {
          const own = new Map(unit.tags.filter((tag) => summaries.has(tag)).map((tag) => [tag, summaries.get(tag)]));
          const { events, alongside } = writesOf(
            await unit.work({ history: historyOf(seen, unit.tags), summaries: own }),
          );
          assertDistinctIds(events);
          decisions.push({ unit, events, alongside });
          seen.push(...events.map(pendingEvent));
        } catch (error) {
          unit.reject(error); // this unit decided against appending; the others go on
        }
      }
      decided = true;
      const events = decisions.flatMap((decision) => decision.events);
      const alongside = decisions.flatMap((decision) => decision.alongside);
      const begin = tagless ? [BEGIN_UNIT] : [];
      const rows =
        events.length > 0
          ? appendedRows(await client.query<AppendedRow>(appendAndCommitSql(events, alongside, begin)), begin.length)
          : [];
      if (events.length === 0 && (!tagless || alongside.length > 0))
        await client.query([...begin, ...alongside, 'COMMIT'].join('; '));
      let next = 0;
      for (const { unit, events: own } of decisions) {
        const stored = rows.slice(next, (next += own.length));
        const copies = unit.copies ? own.map((event, i) => toAppendedEvent(event, stored[i]!)) : [];
        unit.resolve({ events: copies, written: own.length });
      }
      if (events.length > 0) this.options.afterCommit?.(events.length, Number(process.hrtime.bigint() - started) / 1e9);
      return;
    } catch (error) {
      failure = error;
      broken = await rollback(client, error as Error);
    } finally {
      this.startedAt.delete(holding);
      client.release(broken);
    }
    await this.recover(decided ? decisions.map((d) => d.unit) : batch, decisions, failure, decided);
  }

  /** Round trip 1: begin, lock every tag of the batch, read. */
  private async open(
    client: PoolClient,
    batch: readonly Pending[],
  ): Promise<{ history: HistoryEvent[]; summaries: Map<string, unknown> }> {
    const tags = [...new Set(batch.flatMap((u) => u.tags))];
    const read = this.unitRead;
    if (!read) {
      const opened = lastResult(await client.query<{ history: string }>(openUnitSql(tags)));
      return { history: parseHistory(opened.rows[0]!.history), summaries: new Map() };
    }
    const summarised = tags.filter((tag) => read.summarised(tag));
    const full = tags.filter((tag) => !read.summarised(tag));
    const opened = lastResult(await client.query<{ unit: string }>(`${BEGIN_UNIT}; ${read.sql(full, summarised)}`));
    const unit = JSON.parse(opened.rows[0]!.unit) as { history: unknown[]; summaries: Record<string, unknown> };
    return {
      history: historyOfTuples(unit.history),
      summaries: new Map(Object.entries(unit.summaries ?? {})),
    };
  }

  /** After the database rejected a batch: alone, each unit succeeds or fails on its own. */
  private async recover(
    units: readonly Pending[],
    decisions: readonly { unit: Pending; events: NewEvent[]; alongside: readonly string[] }[],
    failure: unknown,
    decided = false,
  ) {
    if (isConnectionLost(failure)) {
      // The connection went away: the batch may even have committed (lost after COMMIT was sent).
      // Deciding again could answer "already exists" to the write that made it so; each caller gets
      // the retryable error instead, and a retry sees what is stored. A timeout or deadlock is the
      // server's own rollback: each unit goes again alone, below, as for any rejected batch. Lost
      // before the append was sent, nothing committed; after it, the error names the events each
      // unit would have stored, so that its failure is recorded only if they are not.
      units.forEach((unit) => {
        const events = decided ? (decisions.find((d) => d.unit === unit)?.events ?? []) : [];
        unit.reject(
          events.length > 0
            ? new OutcomeUnknown(
                failure,
                events.map((e) => e.eventId),
              )
            : failure,
        );
      });
      return;
    }
    if (units.length > 1) {
      await Promise.all(units.map((unit) => this.run([unit])));
      return;
    }
    const unit = units[0];
    if (!unit) return;
    if (isUniqueViolation(failure, EVENT_ID_UNIQUE) && decisions[0]) {
      await this.options.replay(decisions[0].events).then(unit.resolve, unit.reject);
    } else {
      unit.reject(failure);
    }
  }
}
