import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../clock/clock';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { decideDeleteDueKey } from './domain/key.decider';
import { aliasTag, keyTag } from './domain/kms-events';
import { KmsReader } from './store/kms-reader';
import type { KmsState } from './domain/kms-state';
import { KmsWriter } from './store/kms-writer';

/**
 * Deletes keys whose deletion date has passed, each with all its aliases in one transaction
 * (design §4, invariant 4). It sweeps periodically and whenever the controllable clock moves.
 */
@Injectable()
export class KeyDeletionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(KeyDeletionScheduler.name);
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
      () => void this.sweep().catch((e: Error) => this.logger.warn(`deletion sweep failed: ${e.message}`)),
      this.config.deletionSweepSeconds * 1000,
    );
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Deletes every key due now; returns how many. Concurrent calls share one sweep. */
  sweep(): Promise<number> {
    this.running ??= this.deleteDue().finally(() => (this.running = undefined));
    return this.running;
  }

  private async deleteDue(): Promise<number> {
    let deleted = 0;
    const seen = new Set<string>();
    for (;;) {
      // A key that is still listed after its turn (its unit decided nothing) is not tried again.
      const due = (await this.reader.dueForDeletion(this.clock.now())).filter(
        (row) => !seen.has(`${row.account_id}:${row.region}:${row.key_id}`),
      );
      if (due.length === 0) return deleted;
      for (const row of due) {
        seen.add(`${row.account_id}:${row.region}:${row.key_id}`);
        const scope = { accountId: row.account_id, region: row.region };
        const tag = keyTag(scope.accountId, scope.region, row.key_id);
        const tags = (state: KmsState) => [
          tag,
          ...[...(state.keys.get(row.key_id)?.aliases ?? [])].map((alias) =>
            aliasTag(scope.accountId, scope.region, alias),
          ),
        ];
        // The first lock names the key only; its locked state names the aliases to lock next.
        const { events } = await this.writer.runDiscovering({ service: true }, [tag], tags, (state, now) =>
          decideDeleteDueKey(row.key_id, state, scope, now),
        );
        if (events.length > 0) deleted += 1;
      }
    }
  }
}
