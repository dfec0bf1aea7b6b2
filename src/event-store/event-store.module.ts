import { Logger, Module } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Pool } from 'pg';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { DATABASE_URL, KYSELY, PG_POOL } from '../database/database.tokens';
import type { Database } from '../database/database.types';
import { Metrics } from '../metrics/metrics';
import { AppendListener } from './append-listener';
import { AppendNotifier } from './append-notifier';
import { EventStore } from './event-store';
import { EventTimeCap } from './event-time-cap';
import { LiveTail } from './live-tail.service';
import { StoreHealth } from './store-health.service';
import { SubscriptionRegistry } from './subscription.registry';

const logger = new Logger('EventStore');

@Module({
  providers: [
    {
      provide: AppendNotifier,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new AppendNotifier(pool, (error) => logger.warn(`NOTIFY failed: ${error.message}`)),
    },
    {
      provide: AppendListener,
      inject: [DATABASE_URL],
      useFactory: (url: string) =>
        new AppendListener(url, (error) => logger.warn(`LISTEN connection lost: ${error.message}`)),
    },
    {
      provide: EventStore,
      inject: [PG_POOL, KYSELY, AppendNotifier, Metrics, CONFIG],
      useFactory: (pool: Pool, db: Kysely<Database>, notifier: AppendNotifier, metrics: Metrics, config: Config) =>
        new EventStore(pool, db, {
          writeConcurrency: config.writeConcurrency,
          afterCommit: (written, seconds) => {
            metrics.eventsAppended.inc(written);
            metrics.appendDuration.observe(seconds);
            notifier.notify();
          },
        }),
    },
    { provide: SubscriptionRegistry, useFactory: () => new SubscriptionRegistry() },
    LiveTail,
    StoreHealth,
    EventTimeCap,
  ],
  exports: [EventStore, StoreHealth, SubscriptionRegistry, AppendListener],
})
export class EventStoreModule {}
