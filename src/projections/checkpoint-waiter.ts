import { compareCheckpoints } from '../event-store/checkpoint';
import type { Checkpoint } from '../event-store/event.types';

/** How a wait ended: the checkpoint reached the target, or the time ran out first. */
export interface WaitOutcome {
  readonly reached: boolean;
  /** Where the projection stood when the wait ended. */
  readonly checkpoint: Checkpoint;
}

interface Waiter {
  readonly target: Checkpoint;
  readonly deadline: number;
  resolve(outcome: WaitOutcome): void;
  reject(error: unknown): void;
}

/**
 * Waits for a projection's checkpoint to reach a target (read-your-writes for queries). One poll
 * serves every waiter of the process and runs only while someone waits: a projection moves its
 * checkpoint after the append's NOTIFY, so an append wake-up would arrive too early anyway, while a
 * checkpoint read is one primary-key lookup.
 *
 * @example await waiter.waitFor({ transactionId: 812n, position: 40n }, 10_000) // { reached: true, … }
 */
export class CheckpointWaiter {
  private readonly waiters = new Set<Waiter>();
  private polling = false;

  constructor(
    private readonly readCheckpoint: () => Promise<Checkpoint>,
    private readonly pollIntervalMs = 20,
    private readonly now: () => number = Date.now,
  ) {}

  async waitFor(target: Checkpoint, timeoutMs: number): Promise<WaitOutcome> {
    const checkpoint = await this.readCheckpoint();
    if (compareCheckpoints(checkpoint, target) >= 0) return { reached: true, checkpoint };
    if (timeoutMs <= 0) return { reached: false, checkpoint };
    return new Promise<WaitOutcome>((resolve, reject) => {
      this.waiters.add({ target, deadline: this.now() + timeoutMs, resolve, reject });
      if (!this.polling) void this.poll();
    });
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.waiters.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.pollIntervalMs));
        let checkpoint: Checkpoint;
        try {
          checkpoint = await this.readCheckpoint();
        } catch (error) {
          this.waiters.forEach((waiter) => waiter.reject(error));
          this.waiters.clear();
          return;
        }
        const now = this.now();
        for (const waiter of this.waiters) {
          const reached = compareCheckpoints(checkpoint, waiter.target) >= 0;
          if (!reached && now < waiter.deadline) continue;
          this.waiters.delete(waiter);
          waiter.resolve({ reached, checkpoint });
        }
      }
    } finally {
      this.polling = false;
    }
  }
}
