import { randomUUID } from 'node:crypto';
import { type Kysely, type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import { START } from '../../event-store/checkpoint';
import type { EventStore } from '../../event-store/event-store';
import type { Checkpoint } from '../../event-store/event.types';
import { readTableShapes } from './read-table-shapes';
import { type RebuildPhase, type RebuildProgress, type RebuildStatus, RateMeter, etaSeconds } from './rebuild-progress';
import { withRebuildLock } from './rebuild-lock';
import { beginRun, finishRun, recordBatch } from './rebuild-runs';
import type { RebuildTarget } from './rebuild-target';
import {
  LIVE_SCHEMA,
  deferredSql,
  quoteIdent,
  shadowKeysSql,
  shadowSchemaOf,
  shadowTablesSql,
  vacuumSql,
} from './shadow-ddl';
import { type SwapPlan, swapIn } from './swap-in';

export interface RebuildOptions {
  readonly rebuildId?: string;
  /** Events per shadow transaction: large, as a projection's batch costs a few statements whatever its size. */
  readonly batchSize?: number;
  /** Whether to use the target's set-based `load`, when it has one; default true. */
  readonly load?: boolean;
  readonly onProgress?: (progress: RebuildProgress) => void;
  /** Aborting drops the shadow; the live model was never touched. */
  readonly signal?: AbortSignal;
  /** How long a swap attempt waits for a table lock (capped below deadlock_timeout); default 200 ms. */
  readonly lockTimeoutMs?: number;
  /** Swap attempts before giving up (each lets go of its locks after the lock timeout); default 50. */
  readonly swapAttempts?: number;
}

export interface StartedRebuild {
  readonly rebuildId: string;
  /** Settles when the shadow is swapped in (or the rebuild failed, its shadow dropped). */
  readonly finished: Promise<RebuildProgress>;
}

/** The swap begins once the shadow trails the log by fewer events than this (it catches up on them itself). */
const SMALL_LAG = 256;
/** How long to wait for that before swapping anyway (a long transaction elsewhere may hold the barrier back). */
const CLOSE_IN_MS = 10_000;

/**
 * Rebuilds a projection without downtime (docs/history-model.md#projections): replays the whole log
 * into shadow tables in `rebuild_<name>`, batch by batch below the snapshot barrier, while the live
 * tables go on serving readers and taking writes; builds the remaining indexes; catches up again; then
 * swaps the shadows in with one transaction (swapIn). Resolves once the rebuild holds the projection's
 * rebuild lock and is recorded (RebuildInProgress when another holds it).
 *
 * @example
 * const { finished } = await startRebuild({ db, store }, new RunnerRebuildTarget(store, temporal));
 * await finished;
 */
export function startRebuild(
  deps: { readonly db: Kysely<Database>; readonly store: EventStore },
  target: RebuildTarget,
  options: RebuildOptions = {},
): Promise<StartedRebuild> {
  const rebuildId = options.rebuildId ?? randomUUID();
  return new Promise((started, refused) => {
    const finished: Promise<RebuildProgress> = withRebuildLock(deps.db, target.name, async (conn) => {
      const total = (await deps.store.backlog(START, Number.MAX_SAFE_INTEGER)).events;
      await beginRun(deps.db, rebuildId, target.name, total);
      started({ rebuildId, finished });
      return new Rebuild(conn, deps, target, rebuildId, total, options).run();
    });
    finished.catch(refused); // after `started`, this does nothing: the caller has `finished`
  });
}

class Rebuild {
  private readonly schema: string;
  private readonly batchSize: number;
  private readonly startedAt = new Date();
  private readonly meter = new RateMeter();
  private phase: RebuildPhase = 'preparing';
  private at: Checkpoint = START;
  private done = 0;

  constructor(
    private readonly conn: Kysely<Database>,
    private readonly deps: { readonly db: Kysely<Database>; readonly store: EventStore },
    private readonly target: RebuildTarget,
    private readonly rebuildId: string,
    private total: number,
    private readonly options: RebuildOptions,
  ) {
    this.schema = shadowSchemaOf(target.name);
    this.batchSize = options.batchSize ?? 5000;
  }

  async run(): Promise<RebuildProgress> {
    try {
      const { live, shadowSequences } = await this.createShadow();
      if (this.target.load && this.options.load !== false) await this.load(this.target.load.bind(this.target));
      for (const statement of shadowKeysSql(this.schema, live)) await this.build(statement);
      this.report('replaying');
      while ((await this.replayBatch()) === this.batchSize); // a full batch: more to come
      this.report('indexing');
      for (const statement of deferredSql(this.schema, live)) await this.build(statement);
      for (const statement of vacuumSql(this.schema, live)) await sql.raw(statement).execute(this.conn);
      this.report('swapping');
      await this.closeIn();
      const plan = this.swapPlan(live, shadowSequences);
      ({ at: this.at, done: this.done } = await swapIn(this.conn, plan, { at: this.at, done: this.done }));
      this.total = this.done;
      return this.report('swapped', 'done');
    } catch (error) {
      const message = (error as Error).message;
      await sql
        .raw(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`)
        .execute(this.conn)
        .catch(() => undefined);
      await finishRun(this.deps.db, this.rebuildId, 'failed', message).catch(() => undefined);
      this.report(this.phase, 'failed', message);
      throw error;
    }
  }

  /** A shadow left by a rebuild that died is dropped: only the holder of the rebuild lock uses it. */
  private async createShadow() {
    return this.conn.transaction().execute(async (trx) => {
      await sql.raw(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`).execute(trx);
      const live = await readTableShapes(trx, LIVE_SCHEMA, this.target.tables);
      for (const statement of shadowTablesSql(this.schema, live)) await sql.raw(statement).execute(trx);
      const shadow = await readTableShapes(trx, this.schema, this.target.tables);
      return { live, shadowSequences: new Map(shadow.map((t) => [t.name, t.sequences])) };
    });
  }

  /**
   * The set-based load, up to the newest barrier-safe event: one transaction, with memory for its
   * sorts and hashes (the session's defaults are sized for small queries).
   */
  private async load(load: NonNullable<RebuildTarget['load']>): Promise<void> {
    this.throwIfAborted();
    this.report('loading');
    const through = await this.deps.store.head();
    if (through.position === START.position && through.transactionId === START.transactionId) return;
    const events = await this.inShadow(async (trx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      await sql`SET LOCAL work_mem = '256MB'`.execute(trx);
      const loaded = await load(trx, through);
      await recordBatch(trx, this.rebuildId, this.phase, through, loaded);
      return loaded;
    });
    this.at = through;
    this.done = events;
    this.report(this.phase);
  }

  /** Replays the next batch in a transaction of its own with the shadow's checkpoint; how many events it had. */
  private async replayBatch(): Promise<number> {
    this.throwIfAborted();
    const batch = await this.inShadow(async (trx) => {
      // Only the shadow is at stake, and a rebuild that dies starts over: no need to wait for the disk.
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      const replayed = await this.target.replay(trx, this.at, this.batchSize, false);
      if (replayed) await recordBatch(trx, this.rebuildId, this.phase, replayed.last, this.done + replayed.events);
      return replayed;
    });
    if (!batch) return 0;
    this.at = batch.last;
    this.done += batch.events;
    this.report(this.phase);
    return batch.events;
  }

  /**
   * Replays until the shadow trails the log by little, so that the swap's own catch-up, which for
   * an inline projection holds writers back, is short. The lag is counted past the barrier too: a
   * long transaction elsewhere on the server may hold the barrier (and so the replay) back, and the
   * swap of `current` reads past it. After CLOSE_IN_MS it swaps anyway: correct still, only longer.
   */
  private async closeIn(): Promise<void> {
    const deadline = Date.now() + CLOSE_IN_MS;
    for (;;) {
      const events = await this.replayBatch();
      if (events < SMALL_LAG && (await this.deps.store.backlog(this.at, SMALL_LAG)).events < SMALL_LAG) return;
      if (Date.now() > deadline) return;
      if (events === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** An index or constraint of the shadow, built with room to sort in memory rather than in temp files. */
  private build(statement: string): Promise<unknown> {
    return this.inShadow(async (trx) => {
      await sql`SET LOCAL maintenance_work_mem = '512MB'`.execute(trx);
      return sql.raw(statement).execute(trx);
    });
  }

  /** A transaction in which the projection's unqualified table names find the shadow tables. */
  private inShadow<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.conn.transaction().execute(async (trx) => {
      await sql`SELECT set_config('search_path', ${`${quoteIdent(this.schema)}, ${LIVE_SCHEMA}`}, true)`.execute(trx);
      return work(trx);
    });
  }

  private swapPlan(live: SwapPlan['live'], shadowSequences: SwapPlan['shadowSequences']): SwapPlan {
    return {
      rebuildId: this.rebuildId,
      target: this.target,
      schema: this.schema,
      live,
      shadowSequences,
      batchSize: this.batchSize,
      lockTimeoutMs: this.options.lockTimeoutMs ?? 200,
      attempts: this.options.swapAttempts ?? 50,
      signal: this.options.signal,
    };
  }

  private throwIfAborted(): void {
    if (this.options.signal?.aborted) throw new Error(`the rebuild of ${this.target.name} was aborted`);
  }

  private report(phase: RebuildPhase, status: RebuildStatus = 'running', error?: string): RebuildProgress {
    this.phase = phase;
    this.meter.record(Date.now(), this.done);
    const total = Math.max(this.total, this.done);
    // While running, the recent rate (for the ETA); at the end, the whole run's.
    const seconds = (Date.now() - this.startedAt.getTime()) / 1000;
    const rate = status === 'running' ? this.meter.rate() : seconds > 0 ? this.done / seconds : 0;
    const progress: RebuildProgress = {
      rebuildId: this.rebuildId,
      projection: this.target.name,
      status,
      phase,
      eventsDone: this.done,
      eventsTotal: total,
      eventsPerSecond: rate,
      etaSeconds: status === 'running' ? etaSeconds(this.done, total, rate) : 0,
      startedAt: this.startedAt,
      finishedAt: status === 'running' ? undefined : new Date(),
      error,
    };
    this.options.onProgress?.(progress);
    return progress;
  }
}
