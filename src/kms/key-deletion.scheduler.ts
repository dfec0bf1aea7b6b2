import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../clock/clock';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { decideDeleteDueKey } from './domain/key.decider';
import { aliasTag, keyTag } from './domain/kms-events';
import type { KmsState } from './domain/kms-state';
import { DueKeySweep } from './due-key-sweep';
import { KmsReader } from './store/kms-reader';
import { KmsWriter } from './store/kms-writer';

/**
 * Deletes keys whose deletion date has passed, each with all its aliases in one transaction
 * (docs/history-model.md#units-of-work-and-consistency, rule 4). It sweeps periodically and
 * whenever the controllable clock moves.
 */
@Injectable()
export class KeyDeletionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sweeper: DueKeySweep;

  constructor(
    reader: KmsReader,
    writer: KmsWriter,
    clock: Clock,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.sweeper = new DueKeySweep(
      'deletion',
      new Logger(KeyDeletionScheduler.name),
      () => reader.dueForDeletion(clock.now()),
      async (row) => {
        const scope = { accountId: row.account_id, region: row.region };
        const tag = keyTag(scope.accountId, scope.region, row.key_id);
        const tags = (state: KmsState) => [
          tag,
          ...[...(state.keys.get(row.key_id)?.aliases ?? [])].map((alias) =>
            aliasTag(scope.accountId, scope.region, alias),
          ),
        ];
        // The first lock names the key only; its locked state names the aliases to lock next.
        const { events } = await writer.runDiscovering({ service: true }, [tag], tags, (state, now) =>
          decideDeleteDueKey(row.key_id, state, scope, now),
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

  /** Deletes every key due now; returns how many. Concurrent calls share one sweep. */
  sweep(): Promise<number> {
    return this.sweeper.sweep();
  }
}
