import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { KYSELY } from '../database/database.tokens';
import type { Database } from '../database/database.types';
import { AppendListener } from '../event-store/append-listener';
import { EventStore } from '../event-store/event-store';
import { SubscriptionRegistry } from '../event-store/subscription.registry';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { AuditEventsProjection } from './audit/audit-events.projection';
import { TemporalAliasesProjection } from './temporal/temporal-aliases.projection';

/** Runs every asynchronous projection of this service; their lag shows in /health/ready and /metrics. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ProjectionsService.name);
  private readonly runners: ProjectionRunner[];

  constructor(
    store: EventStore,
    @Inject(KYSELY) db: Kysely<Database>,
    listener: AppendListener,
    private readonly registry: SubscriptionRegistry,
    @Inject(CONFIG) config: Config,
    temporal: TemporalAliasesProjection,
    audit: AuditEventsProjection,
  ) {
    this.runners = [temporal, audit].map(
      (projection) =>
        new ProjectionRunner(store, db, listener, projection, {
          pollIntervalMs: config.subscriptionPollIntervalMs,
          onError: (error) => this.logger.error(error.message),
        }),
    );
  }

  /** The projections it runs: what the admin API can rebuild, besides the inline `current`. */
  get projections(): Projection[] {
    return this.runners.map((runner) => runner.projection);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const runner of this.runners) this.registry.add(await runner.start());
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }
}
