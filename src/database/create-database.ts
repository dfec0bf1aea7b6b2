import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import type { Database } from './database.types';

export interface PoolOptions {
  readonly max: number;
  /** Server-side cap on our own idle-in-transaction sessions (they hold back every event reader). */
  readonly idleTransactionTimeoutMs: number;
  readonly applicationName?: string;
}

/** A pg pool whose sessions are capped so that none of ours can stall the event readers for long. */
export function createPool(connectionString: string, options: PoolOptions): Pool {
  const pool = new Pool({
    connectionString,
    max: options.max,
    application_name: options.applicationName ?? 'aliastrail',
    idle_in_transaction_session_timeout: options.idleTransactionTimeoutMs,
  });
  // An idle client that loses its connection emits here; without a listener the process would crash.
  pool.on('error', () => undefined);
  return pool;
}

export function createKysely(pool: Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
