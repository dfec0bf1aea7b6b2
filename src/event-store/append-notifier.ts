import type { Pool } from 'pg';

export const EVENTS_CHANNEL = 'aliastrail_events';

/**
 * Sends NOTIFY after commits, never inside the appending transaction: a NOTIFY there takes a global
 * lock at commit and serialises every writer (measured 872 vs 2,423 appends/s). Calls coalesce: while
 * one NOTIFY is in flight, later commits share a single follow-up that starts after it, so every
 * commit is followed by at least one NOTIFY sent after it. A notification is only a hint; readers poll too.
 */
export class AppendNotifier {
  private inFlight = false;
  private again = false;

  /**
   * @param minIntervalMs spacing between NOTIFYs: each takes a cluster-wide lock at commit, and under
   * load one per few milliseconds wakes readers as well as one per commit (costs ≤ this much latency).
   */
  constructor(
    private readonly pool: Pool,
    private readonly onError: (error: Error) => void = () => undefined,
    private readonly minIntervalMs = 20,
  ) {}

  notify(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.pool
      .query(`SELECT pg_notify('${EVENTS_CHANNEL}', '')`)
      .catch((error: Error) => this.onError(error))
      .then(() =>
        this.minIntervalMs > 0 ? new Promise((resolve) => setTimeout(resolve, this.minIntervalMs)) : undefined,
      )
      .finally(() => {
        this.inFlight = false;
        if (this.again) {
          this.again = false;
          this.notify();
        }
      });
  }

  /** Resolves when no NOTIFY is in flight or waiting (for orderly shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
