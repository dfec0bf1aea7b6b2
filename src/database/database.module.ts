import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config';
import { createKysely, createPool } from './create-database';
import { DatabaseFaults } from './database-faults';
import type { Database } from './database.types';
import { DATABASE_URL, KYSELY, PG_POOL } from './database.tokens';

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  static forRoot(config: Config, databaseUrl: string): DynamicModule {
    const faults = new DatabaseFaults();
    const pool = createPool(databaseUrl, {
      max: config.databasePoolSize,
      idleTransactionTimeoutMs: config.idleTransactionTimeoutMs,
      statementTimeoutMs: config.statementTimeoutMs,
      lockTimeoutMs: config.lockTimeoutMs,
      connectTimeoutMs: config.connectTimeoutMs,
      onConnectionError: (error) => faults.connectionLost(error),
    });
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_URL, useValue: databaseUrl },
        { provide: DatabaseFaults, useValue: faults },
        { provide: PG_POOL, useValue: pool },
        { provide: KYSELY, useValue: createKysely(pool) },
      ],
      exports: [DATABASE_URL, PG_POOL, KYSELY, DatabaseFaults],
    };
  }

  /** Runs after every other module's shutdown hooks, so nothing still needs the pool. */
  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
