import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../clock/clock';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { keyArn } from './domain/identifiers';
import { keyTag } from './domain/kms-events';
import { decideRotateDueKey } from './domain/rotation.decider';
import { DueKeySweep } from './due-key-sweep';
import { keyMaterialIdOf } from './store/key-materials';
import { KmsReader } from './store/kms-reader';
import { KmsWriter } from './store/kms-writer';

/**
 * Rotates the keys whose automatic rotation is due (docs/kms-behaviour.md#rotation), each in its own
 * unit: the new material and its KeyMaterialRotated{AUTOMATIC} commit together, as a service event
 * (CloudTrail's RotateKey). It sweeps on the deletion sweep's period and whenever the controllable
 * clock moves.
 */
@Injectable()
export class KeyRotationScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sweeper: DueKeySweep;

  constructor(
    reader: KmsReader,
    writer: KmsWriter,
    clock: Clock,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.sweeper = new DueKeySweep(
      'rotation',
      new Logger(KeyRotationScheduler.name),
      () => reader.dueForRotation(clock.now()),
      async (row) => {
        const scope = { accountId: row.account_id, region: row.region };
        const arn = keyArn(scope, row.key_id);
        // The locked state decides: two instances sweeping at once rotate a key once.
        const { events } = await writer.run(
          { service: true },
          [keyTag(scope.accountId, scope.region, row.key_id)],
          (state, now) => decideRotateDueKey(row.key_id, state, scope, now, (version) => keyMaterialIdOf(arn, version)),
        );
        return events.length > 0;
      },
    );
  }

  onApplicationBootstrap(): void {
    this.sweeper.start(this.config.deletionSweepSeconds * 1000);
  }

  onModuleDestroy(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Rotates every key due now; returns how many. Concurrent calls share one sweep. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }
}
