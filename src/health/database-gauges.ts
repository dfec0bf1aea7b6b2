import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Pool } from 'pg';
import { DatabaseFaults } from '../database/database-faults';
import { KYSELY, PG_POOL } from '../database/database.tokens';
import type { Database } from '../database/database.types';
import { EventStore } from '../event-store/event-store';
import { Metrics } from '../metrics/metrics';
import { withinDeadline } from '../database/within-deadline';
import { eventsWritable } from '../event-store/write-path-probe';

/** What /metrics says of the database and the write path; a scrape answers even with the database away. */
@Injectable()
export class DatabaseGauges implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly faults: DatabaseFaults,
    private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(KYSELY) private readonly db: Kysely<Database>,
  ) {}

  onModuleInit(): void {
    const { metrics, faults, store, pool, db } = this;
    metrics.addGauge(
      'aliastrail_database_connections_lost',
      'Database connections that failed under the service since it started (a restart, a terminated session, a timeout)',
      [],
      async (gauge) => gauge.set(faults.connectionsLost),
    );
    metrics.addGauge(
      'aliastrail_database_pool_connections',
      'Connections of the pool, by state',
      ['state'],
      async (gauge) => {
        gauge.set({ state: 'open' }, pool.totalCount);
        gauge.set({ state: 'idle' }, pool.idleCount);
        gauge.set({ state: 'waited_for' }, pool.waitingCount);
      },
    );
    metrics.addGauge(
      'aliastrail_write_transactions',
      'Write transactions running, and units queued for one',
      ['state'],
      async (gauge) => {
        const path = store.writePath();
        gauge.set({ state: 'running' }, path.running);
        gauge.set({ state: 'queued' }, path.queued);
      },
    );
    metrics.addGauge(
      'aliastrail_write_oldest_seconds',
      'How long the oldest running write transaction has been at it (0: none runs)',
      [],
      async (gauge) => gauge.set((store.writePath().oldestRunningMs ?? 0) / 1000),
    );
    metrics.addGauge(
      'aliastrail_write_path_blocked',
      '1 when an insert into events could not take its lock now (or the database did not say in time)',
      [],
      async (gauge) =>
        gauge.set(
          await withinDeadline(600, () => eventsWritable(db)).then(
            (writable) => (writable ? 0 : 1),
            () => 1,
          ),
        ),
    );
  }
}
