import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { KYSELY } from '../database/database.tokens';
import type { Database } from '../database/database.types';
import { formatCheckpoint } from './checkpoint';
import { EventStore } from './event-store';
import type { SubscriptionStatus } from './event-subscription';
import { type OpenTransaction, oldestOpenTransaction } from './open-transactions';
import { SubscriptionRegistry } from './subscription.registry';

export interface SubscriptionReport {
  readonly name: string;
  readonly running: boolean;
  readonly checkpoint: string;
  readonly delivered: number;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  /** Unread events older than the stall threshold: something (see `heldBackBy`) blocks the barrier. */
  readonly stalled: boolean;
  readonly lastError: string | null;
}

export interface StoreReport {
  readonly subscriptions: readonly SubscriptionReport[];
  /** The oldest transaction holding a transaction id; it holds back every reader in the cluster. */
  readonly oldestOpenTransaction: OpenTransaction | null;
}

/** How far each subscription trails the log, and what holds it back; read by /health/ready and /metrics. */
@Injectable()
export class StoreHealth {
  constructor(
    private readonly store: EventStore,
    private readonly registry: SubscriptionRegistry,
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async report(): Promise<StoreReport> {
    const [subscriptions, oldest] = await Promise.all([
      Promise.all(this.registry.list().map((subscription) => this.inspect(subscription.status))),
      oldestOpenTransaction(this.db),
    ]);
    return { subscriptions, oldestOpenTransaction: oldest };
  }

  private async inspect(status: SubscriptionStatus): Promise<SubscriptionReport> {
    const backlog = await this.store.backlog(status.checkpoint);
    const lagSeconds = backlog.oldestAgeSeconds;
    return {
      name: status.name,
      running: status.running,
      checkpoint: formatCheckpoint(status.checkpoint),
      delivered: status.delivered,
      lagEvents: backlog.events,
      lagSeconds,
      stalled: lagSeconds > this.config.stallThresholdSeconds,
      lastError: status.lastError ?? null,
    };
  }
}
