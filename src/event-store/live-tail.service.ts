import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { AppendListener } from './append-listener';
import { EventStore } from './event-store';
import { EventSubscription } from './event-subscription';
import { SubscriptionRegistry } from './subscription.registry';

/**
 * The service's own subscription: it follows the log from the head it finds at start-up, so health
 * and metrics show whether committed events reach readers (the projections of later issues run on
 * the same runtime).
 */
@Injectable()
export class LiveTail implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(LiveTail.name);
  private subscription: EventSubscription | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly listener: AppendListener,
    private readonly registry: SubscriptionRegistry,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
    this.subscription = new EventSubscription(this.listener, {
      name: 'live-tail',
      from: await this.store.head(),
      pollIntervalMs: this.config.subscriptionPollIntervalMs,
      // It only tracks progress, so it reads checkpoints, not whole events.
      read: (after, limit) => this.store.readCheckpoints({ after, limit }),
      handle: async () => undefined,
      onError: (error) => this.logger.warn(`live tail read failed, retrying: ${error.message}`),
    });
    this.registry.add(this.subscription);
    this.subscription.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscription?.stop();
    await this.listener.stop();
  }
}
