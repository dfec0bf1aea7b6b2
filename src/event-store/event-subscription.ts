import type { AppendListener } from './append-listener';
import { START, checkpointOf } from './checkpoint';
import type { Checkpoint } from './event.types';
import { retryDelayMs } from '../database/retry-delay';

export interface SubscriptionOptions<Item extends Checkpoint> {
  readonly name: string;
  readonly from?: Checkpoint;
  readonly batchSize?: number;
  /** Fallback poll; also how soon a reader notices that a blocking transaction ended without a commit. */
  readonly pollIntervalMs: number;
  /**
   * The barrier-safe read: the next items after a checkpoint, in log order (EventStore.readAll for
   * whole events, EventStore.readCheckpoints when only progress matters).
   */
  readonly read: (after: Checkpoint, limit: number) => Promise<readonly Item[]>;
  /** Receives each batch in log order; the checkpoint moves only after it resolves. */
  readonly handle: (items: readonly Item[]) => Promise<void>;
  readonly onError?: (error: Error) => void;
  /** Longest wait between retries of a failing batch (each failure doubles it from the poll interval). */
  readonly maxBackoffMs?: number;
}

export interface SubscriptionStatus {
  readonly name: string;
  readonly running: boolean;
  readonly checkpoint: Checkpoint;
  readonly delivered: number;
  readonly lastReadAt: Date | undefined;
  readonly lastError: string | undefined;
}

/**
 * Tails the store from a checkpoint: reads below the snapshot barrier in batches, hands each batch
 * to `handle`, wakes on NOTIFY and polls as a fallback. A failing batch is retried, never skipped,
 * with backoff that appends do not cut short (a broken handler must not spin on every NOTIFY).
 */
export class EventSubscription<Item extends Checkpoint = Checkpoint> {
  private checkpoint: Checkpoint;
  private running = false;
  private loop: Promise<void> | undefined;
  private delivered = 0;
  private lastReadAt: Date | undefined;
  private lastError: string | undefined;
  private woken = false;
  private wakeSleeper: (() => void) | undefined;
  private unlisten: (() => void) | undefined;
  private failures = 0;
  private lastFailure: unknown;
  private endBackoff: (() => void) | undefined;

  constructor(
    private readonly listener: AppendListener | undefined,
    private readonly options: SubscriptionOptions<Item>,
  ) {
    this.checkpoint = options.from ?? START;
  }

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
    this.endBackoff?.();
    await this.loop;
  }

  get status(): SubscriptionStatus {
    return {
      name: this.options.name,
      running: this.running,
      checkpoint: this.checkpoint,
      delivered: this.delivered,
      lastReadAt: this.lastReadAt,
      lastError: this.lastError,
    };
  }

  private wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    while (this.running) {
      this.woken = false;
      let full = false;
      try {
        const events = await this.options.read(this.checkpoint, batchSize);
        this.lastReadAt = new Date();
        if (events.length > 0) {
          await this.options.handle(events);
          this.checkpoint = checkpointOf(events[events.length - 1]!);
          this.delivered += events.length;
          full = events.length === batchSize;
        }
        this.lastError = undefined;
        this.failures = 0;
      } catch (error) {
        this.lastError = (error as Error).message;
        this.lastFailure = error;
        this.failures += 1;
        this.options.onError?.(error as Error);
      }
      if (this.failures > 0 && this.running) await this.backoff();
      else if (!full && this.running) await this.sleep();
    }
  }

  private backoff(): Promise<void> {
    const ms = retryDelayMs(
      this.failures,
      this.options.pollIntervalMs,
      this.options.maxBackoffMs ?? 30_000,
      this.lastFailure,
    );
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endBackoff = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.endBackoff = done;
    });
  }

  private sleep(): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.wakeSleeper = done;
    });
  }
}
