import { Kysely, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import type { Database } from './database.types';
import { DeadlineClient, ServerSilent } from './deadline-client';

export interface PoolOptions {
  readonly max: number;
  /** Server-side cap on our own idle-in-transaction sessions (they hold back every event reader). */
  readonly idleTransactionTimeoutMs: number;
  readonly applicationName?: string;
  /**
   * Server-side statement_timeout of every session (0 or unset: none). The client also gives up on
   * a connection whose query goes unanswered for this plus READ_DEADLINE_MARGIN_MS (DeadlineClient):
   * a stopped or paused server cancels nothing.
   */
  readonly statementTimeoutMs?: number;
  /** Server-side lock_timeout of every session (0 or unset: none). */
  readonly lockTimeoutMs?: number;
  /** How long a checkout may wait for a connection, new or free (unset: for ever). */
  readonly connectTimeoutMs?: number;
  /** Told of every connection that fails under us (the work on it fails too; the process goes on). */
  readonly onConnectionError?: (error: Error) => void;
  /** `force_generic_plan`: every statement of these sessions, unnamed ones included, keeps one plan. */
  readonly planCacheMode?: 'force_generic_plan';
}

/** What the client waits beyond the server's own statement timeout before it calls the server gone. */
export const READ_DEADLINE_MARGIN_MS = 2000;

/**
 * A pg pool whose sessions are capped so that none of ours can stall the event readers for long,
 * and whose connections cannot take the process down: each has an error listener for as long as it
 * lives. node-postgres emits a connection's failure on the client, and the pool listens only while
 * the client is idle; a client checked out (a transaction, the write batcher, a projection) that
 * lost its connection would otherwise raise an unhandled 'error' event and end the process.
 */
export function createPool(connectionString: string, options: PoolOptions): Pool {
  const statementTimeoutMs = options.statementTimeoutMs ?? 0;
  const pool = new Pool({
    connectionString,
    max: options.max,
    application_name: options.applicationName ?? 'aliastrail',
    idle_in_transaction_session_timeout: options.idleTransactionTimeoutMs,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    ...(options.lockTimeoutMs ? { lock_timeout: options.lockTimeoutMs } : {}),
    ...(options.connectTimeoutMs ? { connectionTimeoutMillis: options.connectTimeoutMs } : {}),
    ...(options.planCacheMode ? { options: `-c plan_cache_mode=${options.planCacheMode}` } : {}),
    // A peer that vanished without a word (a failover, a cut network) is noticed within seconds.
    keepAlive: true,
    keepAliveInitialDelayMillis: 5000,
    Client: DeadlineClient,
    readDeadlineMs: statementTimeoutMs > 0 ? statementTimeoutMs + READ_DEADLINE_MARGIN_MS : 0,
  } as unknown as ConstructorParameters<typeof Pool>[0]);
  pool.on('error', () => undefined); // an idle client's failure; its own listener below reports it
  pool.on('connect', (client) =>
    client.on('error', (error) => {
      options.onConnectionError?.(error);
      if (error instanceof ServerSilent && error.seen) abandonIdle(pool);
    }),
  );
  return pool;
}

/**
 * A server that left one query unanswered past its deadline is presumed silent on every connection
 * (stopped, paused, cut off): the idle ones are closed too, so that the next checkout opens a new
 * connection and meets the connect timeout, instead of sending its query into another silence and
 * waiting a whole deadline more. The pool then drops them as it drops any idle connection that
 * fails. pg-pool keeps its idle clients in `_idle`, which it does not export; without it, nothing.
 */
function abandonIdle(pool: Pool): void {
  const idle = (pool as unknown as { _idle?: { client: unknown }[] })._idle;
  if (!Array.isArray(idle)) return;
  for (const { client } of [...idle]) {
    if (client instanceof DeadlineClient)
      client.abandon(new ServerSilent('another connection to the database went unanswered', false));
  }
}

export function createKysely(pool: Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
