import type { Logger } from '@nestjs/common';

/** A key a sweep found due (kms_keys' primary key). */
export interface DueKey {
  readonly account_id: string;
  readonly region: string;
  readonly key_id: string;
}

/**
 * The loop the key schedulers share (deletion, rotation): every `periodMs`, and whenever asked (the
 * controllable clock moved), list the keys due now and act on each in its own unit of work, until
 * none is left. A key still listed after its turn (its unit decided nothing: another instance got
 * there first, or it was no longer due) is not tried again in that sweep. Concurrent calls share one
 * sweep; a stop waits for the one running.
 */
export class DueKeySweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly what: string,
    private readonly logger: Logger,
    private readonly due: () => Promise<readonly DueKey[]>,
    /** Acts on one key; true when its unit changed it. */
    private readonly act: (key: DueKey) => Promise<boolean>,
  ) {}

  start(periodMs: number): void {
    this.timer = setInterval(
      () => void this.sweep().catch((e: Error) => this.logger.warn(`${this.what} sweep failed: ${e.message}`)),
      periodMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Acts on every key due now; returns how many it changed. */
  sweep(): Promise<number> {
    this.running ??= this.all().finally(() => (this.running = undefined));
    return this.running;
  }

  private async all(): Promise<number> {
    let changed = 0;
    const seen = new Set<string>();
    const name = (key: DueKey) => `${key.account_id}:${key.region}:${key.key_id}`;
    for (;;) {
      const due = (await this.due()).filter((key) => !seen.has(name(key)));
      if (due.length === 0) return changed;
      for (const key of due) {
        seen.add(name(key));
        if (await this.act(key)) changed += 1;
      }
    }
  }
}
