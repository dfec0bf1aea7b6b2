import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';

/** The oldest transaction holding a transaction id: every event reader waits behind it. */
export interface OpenTransaction {
  readonly pid: number | null;
  readonly state: string;
  readonly applicationName: string;
  readonly database: string;
  readonly ageSeconds: number;
}

/**
 * Running transactions with an assigned id (the ones that hold the snapshot barrier back), and
 * prepared transactions, which hold it back with no session at all. Cluster-wide, like the barrier.
 */
export async function oldestOpenTransaction(db: Kysely<Database>): Promise<OpenTransaction | null> {
  const { rows } = await sql<OpenTransaction>`
    SELECT pid, state, "applicationName", database, "ageSeconds" FROM (
      SELECT pid, coalesce(state, 'unknown') AS state, coalesce(application_name, '') AS "applicationName",
             coalesce(datname, '') AS database, xact_start AS started,
             extract(epoch FROM clock_timestamp() - xact_start)::float8 AS "ageSeconds"
      FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND xact_start IS NOT NULL
      UNION ALL
      SELECT NULL, 'prepared', gid, database, prepared,
             extract(epoch FROM clock_timestamp() - prepared)::float8
      FROM pg_prepared_xacts
    ) AS holders ORDER BY started LIMIT 1`.execute(db);
  return rows[0] ?? null;
}
