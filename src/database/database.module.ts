import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config';
import { createKysely, createPool } from './create-database';
import { DatabaseFaults } from './database-faults';
import type { Database } from './database.types';
import type { Pool } from 'pg';
import { DATABASE_URL, GENERIC_PLAN_POOL, KYSELY, PG_POOL } from './database.tokens';

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(GENERIC_PLAN_POOL) private readonly genericPlanPool: Pool,
  ) {}

  static forRoot(config: Config, databaseUrl: string): DynamicModule {
    const faults = new DatabaseFaults();
    const options = {
      max: config.databasePoolSize,
      idleTransactionTimeoutMs: config.idleTransactionTimeoutMs,
      statementTimeoutMs: config.statementTimeoutMs,
      lockTimeoutMs: config.lockTimeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
      onConnectionError: (error: Error) => faults.connectionLost(error),
    };
    const pool = createPool(databaseUrl, options);
    // Point-in-time reads, one short statement each: a quarter of the connections serves them.
    const genericPlanPool = createPool(databaseUrl, {
      ...options,
      max: Math.max(2, Math.ceil(config.databasePoolSize / 4)),
      planCacheMode: 'force_generic_plan',
    });
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_URL, useValue: databaseUrl },
        { provide: DatabaseFaults, useValue: faults },
        { provide: PG_POOL, useValue: pool },
        { provide: GENERIC_PLAN_POOL, useValue: genericPlanPool },
        { provide: KYSELY, useValue: createKysely(pool) },
      ],
      exports: [DATABASE_URL, PG_POOL, GENERIC_PLAN_POOL, KYSELY, DatabaseFaults],
    };
  }

  /** Runs after every other module's shutdown hooks, so nothing still needs the pool. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.db.destroy(), this.genericPlanPool.end()]);
  }
}
