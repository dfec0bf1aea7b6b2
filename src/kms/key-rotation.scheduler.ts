import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../clock/clock';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { keyArn } from './domain/identifiers';
import { keyTag } from './domain/kms-events';
import { decideRotateDueKey } from './domain/rotation.decider';
import { keyMaterialIdOf } from './store/key-materials';
import { KmsReader } from './store/kms-reader';
import { KmsWriter } from './store/kms-writer';

/**
 * Rotates the keys whose automatic rotation is due (kms-crypto §6.1), each in its own unit: the new
 * material and its KeyMaterialRotated{AUTOMATIC} commit together, as a service event (CloudTrail's
 * RotateKey, §8.4). It sweeps on the deletion sweep's period and whenever the controllable clock moves.
 */
@Injectable()
export class KeyRotationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KeyRotationScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly reader: KmsReader,
    private readonly writer: KmsWriter,
    private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () => void this.sweep().catch((e: Error) => this.logger.warn(`rotation sweep failed: ${e.message}`)),
      this.config.deletionSweepSeconds * 1000,
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Rotates every key due now; returns how many. Concurrent calls share one sweep. */
  sweep(): Promise<number> {
    this.running ??= this.rotateDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async rotateDue(): Promise<number> {
    let rotated = 0;
    const seen = new Set<string>();
    for (;;) {
      // A key still listed after its turn (another instance rotated it, or it was not due) is not tried again.
      const due = (await this.reader.dueForRotation(this.clock.now())).filter(
        (row) => !seen.has(`${row.account_id}:${row.region}:${row.key_id}`),
      );
      if (due.length === 0) return rotated;
      for (const row of due) {
        seen.add(`${row.account_id}:${row.region}:${row.key_id}`);
        const scope = { accountId: row.account_id, region: row.region };
        const arn = keyArn(scope, row.key_id);
        // The locked state decides: two instances sweeping at once rotate a key once.
        const { events } = await this.writer.run(
          { service: true },
          [keyTag(scope.accountId, scope.region, row.key_id)],
          (state, now) => decideRotateDueKey(row.key_id, state, scope, now, (version) => keyMaterialIdOf(arn, version)),
        );
        if (events.length > 0) rotated += 1;
      }
    }
  }
}
