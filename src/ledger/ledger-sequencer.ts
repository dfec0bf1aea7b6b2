import type { Kysely } from 'kysely';
import type { Clock } from '../clock/clock';
import type { Database } from '../database/database.types';
import type { AppendListener } from '../event-store/append-listener';
import type { Checkpoint } from '../event-store/event.types';
import type { SubscriptionStatus } from '../event-store/event-subscription';
import { retryDelayMs } from '../database/retry-delay';
import type { DigestSigner } from './digest';
import { eventHash } from './hash-chain';
import { type LedgerEventRow, canonicalEvent } from './ledger-event';
import { eventsWaiting, lockState, readEventsAfter, readState, writeBatch } from './ledger-store';
import { hourEnd, microsOf } from './micro-time';
import { type HashedEvent, type SequencerState, planBatch } from './sequencer-plan';

export interface LedgerSequencerOptions {
  readonly pollIntervalMs: number;
  readonly digestEvery: number;
  /** Events chained per transaction. */
  readonly batchSize?: number;
  /**
   * Least time between two batches when woken by appends: the ledger may trail by this much, and
   * in exchange a busy write path wakes it ten times a second, not once per commit.
   */
  readonly minIntervalMs?: number;
  /**
   * While behind (say on first start over a long history) and the service is taking writes, the
   * share of time the loop spends chaining: after a batch that took t, it rests t × (1 / share - 1),
   * in batches of at most 500. Chaining runs on the service's event loop and its database, and a
   * catch-up at full speed took them from the requests and projections (the projections' lag under
   * load tripled). With no write since its last batch it goes on at once. 1: never rests.
   */
  readonly catchUpShare?: number;
  readonly maxDigestsPerBatch?: number;
  readonly maxBackoffMs?: number;
  readonly onError?: (error: Error) => void;
}

/** The signer for a chain in this state; throws when this instance may not sign it (see LedgerService). */
export type SignerFor = (state: SequencerState) => DigestSigner;

export interface StepResult {
  /** idle: nothing to do; busy: another instance holds the sequencer's row; done: a batch committed. */
  readonly outcome: 'idle' | 'busy' | 'done';
  readonly entries: number;
  readonly digests: number;
  /** Call again at once: the batch was full, or hours remain to be closed. */
  readonly more: boolean;
}

/** An event the sequencer cannot read as an event; it stops before it rather than chain around it. */
export class UnreadableEvent extends Error {
  override readonly name = 'UnreadableEvent';
}

/**
 * The post-commit sequencer: follows the log with the snapshot
 * barrier and appends each event to the hash chain, with gapless ledger sequence numbers and signed
 * digests (sequencer-plan.ts decides; this runs it). Any number of instances may run one: each
 * batch locks the sequencer's row FOR UPDATE SKIP LOCKED and reads after the checkpoint it finds
 * there, inside that transaction, so exactly one instance chains each event, once, in one order.
 * Appends never wait for it; it wakes on their NOTIFY (at most every minIntervalMs) or polls, which
 * is also how it closes hours when nothing is written.
 */
export class LedgerSequencer {
  private running = false;
  private loop: Promise<void> | undefined;
  private checkpoint: Checkpoint = { transactionId: 0n, position: 0n };
  private delivered = 0;
  private lastReadAt: Date | undefined;
  private lastError: string | undefined;
  private failures = 0;
  private woken = false;
  private contended = false;
  private wakeSleeper: (() => void) | undefined;
  private unlisten: (() => void) | undefined;
  private lastStepAt = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly listener: AppendListener | undefined,
    private readonly clock: Clock,
    private readonly signerFor: SignerFor,
    private readonly options: LedgerSequencerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unlisten = this.listener?.onAppend(() => this.wake());
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unlisten?.();
    this.wake();
    await this.loop;
  }

  /** Read by /health/ready and /metrics like a subscription's (the lag is the ledger's). */
  get status(): SubscriptionStatus {
    return {
      name: 'ledger',
      running: this.running,
      checkpoint: this.checkpoint,
      delivered: this.delivered,
      lastReadAt: this.lastReadAt,
      lastError: this.lastError,
    };
  }

  /** One batch: close the hours that ended, chain what the barrier lets through, sign what is due. */
  async step(batchSize = this.options.batchSize ?? 2000): Promise<StepResult> {
    const now = microsOf(this.clock.now());
    const seen = await readState(this.db);
    this.checkpoint = seen.checkpoint;
    this.lastReadAt = new Date();
    const hourDue = seen.periodStart === null || hourEnd(seen.periodStart) <= now;
    if (!hourDue && !(await eventsWaiting(this.db, seen.checkpoint)))
      return { outcome: 'idle', entries: 0, digests: 0, more: false };
    const signer = this.signerFor(seen);
    const result = await this.db.transaction().execute(async (trx) => {
      const state = await lockState(trx);
      if (!state) return undefined;
      const rows = await readEventsAfter(trx, state.checkpoint, batchSize);
      const plan = planBatch(state, await hashInTurns(rows), now, this.policy(), signer);
      await writeBatch(trx, plan.entries, plan.digests, plan.state);
      return { plan, full: rows.length === batchSize };
    });
    if (!result) return { outcome: 'busy', entries: 0, digests: 0, more: false };
    this.checkpoint = result.plan.state.checkpoint;
    this.delivered += result.plan.entries.length;
    return {
      outcome: 'done',
      entries: result.plan.entries.length,
      digests: result.plan.digests.length,
      more: result.full || result.plan.hoursLeft,
    };
  }

  /** Steps until there is nothing left to do now (for the CLI, tests and benchmarks). */
  async catchUp(): Promise<{ entries: number; digests: number }> {
    const total = { entries: 0, digests: 0 };
    for (;;) {
      const step = await this.step();
      total.entries += step.entries;
      total.digests += step.digests;
      if (!step.more) return total;
    }
  }

  private policy() {
    return { digestEvery: this.options.digestEvery, maxDigestsPerBatch: this.options.maxDigestsPerBatch ?? 500 };
  }

  private wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      this.woken = false;
      this.lastStepAt = Date.now();
      let more = false;
      const started = performance.now();
      // Writes came in while it rested or chained: the service is busy, so it chains a little at a time.
      const contended = this.contended;
      let failure: unknown;
      try {
        more = (await this.step(contended ? Math.min(500, this.options.batchSize ?? 2000) : undefined)).more;
        this.lastError = undefined;
        this.failures = 0;
      } catch (error) {
        this.lastError = (error as Error).message;
        failure = error;
        this.failures += 1;
        this.options.onError?.(error as Error);
      }
      if (!this.running) break;
      if (this.failures > 0)
        await this.pause(
          retryDelayMs(this.failures, this.options.pollIntervalMs, this.options.maxBackoffMs ?? 30_000, failure),
          false,
        );
      else if (!more) {
        this.contended = false;
        await this.pause(this.options.pollIntervalMs, true);
      } else await this.rest(performance.now() - started, this.woken);
    }
  }

  /**
   * After a batch that took `busyMs` while behind: when writes came in meanwhile (`contended`), the
   * rest of the time is the service's (catchUpShare); otherwise the next batch goes at once.
   */
  private async rest(busyMs: number, contended: boolean): Promise<void> {
    this.contended = contended;
    const share = this.options.catchUpShare ?? 0.25;
    if (!contended || share >= 1) return;
    this.woken = false;
    await this.pause(busyMs * (1 / share - 1), false);
    this.contended ||= this.woken;
  }

  /** Sleeps `ms`, or until woken by an append (when `wakeable`), but never less than minIntervalMs after the last step began. */
  private async pause(ms: number, wakeable: boolean): Promise<void> {
    if (!(wakeable && this.woken)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wakeSleeper = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        this.wakeSleeper = wakeable ? done : () => (this.running ? undefined : done());
      });
    }
    const wait = (this.options.minIntervalMs ?? 100) - (Date.now() - this.lastStepAt);
    if (wait > 0 && this.running) await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Events hashed a few hundred at a time, giving the event loop a turn in between (a batch takes tens of ms). */
async function hashInTurns(rows: readonly LedgerEventRow[]): Promise<HashedEvent[]> {
  const out: HashedEvent[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    out.push(hashed(rows[i]!));
  }
  return out;
}

function hashed(row: LedgerEventRow): HashedEvent {
  let canonical: string;
  try {
    canonical = canonicalEvent(row);
  } catch (error) {
    throw new UnreadableEvent(
      `the ledger stops before the event at position ${row.position}: it cannot be read as an event (${(error as Error).message})`,
    );
  }
  return {
    position: row.position,
    transactionId: row.transactionId,
    eventId: row.eventId,
    eventHash: eventHash(canonical),
    occurredAt: typeof row.occurredAt === 'number' ? row.occurredAt : null,
  };
}
