/** Where a rebuild is: preparing the shadow, replaying the log, indexing, swapping, or swapped. */
export type RebuildPhase = 'preparing' | 'loading' | 'replaying' | 'indexing' | 'swapping' | 'swapped';

export type RebuildStatus = 'running' | 'done' | 'failed';

/** A rebuild as the CLI and the admin API show it. */
export interface RebuildProgress {
  readonly rebuildId: string;
  readonly projection: string;
  readonly status: RebuildStatus;
  readonly phase: RebuildPhase;
  readonly eventsDone: number;
  /** An estimate: the log's length when the rebuild began, or what has been done if more. */
  readonly eventsTotal: number;
  readonly eventsPerSecond: number;
  /** Undefined until there is a rate to tell from. */
  readonly etaSeconds: number | undefined;
  readonly startedAt: Date;
  readonly finishedAt: Date | undefined;
  readonly error: string | undefined;
}

/** Seconds to go at `rate` events per second; undefined when the rate says nothing yet. */
export function etaSeconds(done: number, total: number, rate: number): number | undefined {
  if (!(rate > 0)) return undefined;
  return Math.max(0, total - done) / rate;
}

/**
 * Events per second over the last `windowMs` (the whole run until then): recent enough to follow
 * a rebuild that slows as its tables grow, long enough not to jump with every batch.
 *
 * @example
 * const meter = new RateMeter(10_000);
 * meter.record(0, 0); meter.record(1000, 5000);
 * meter.rate(); // 5000
 */
export class RateMeter {
  private readonly samples: { at: number; done: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  record(atMs: number, done: number): void {
    this.samples.push({ at: atMs, done });
    // Keep one sample at or before the window's start, so the window is always fully covered.
    while (this.samples.length > 2 && this.samples[1]!.at <= atMs - this.windowMs) this.samples.shift();
  }

  rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at <= first.at) return 0;
    return ((last.done - first.done) * 1000) / (last.at - first.at);
  }
}
