import { Client, type Pool } from 'pg';
import { createPool } from '../database/create-database';
import type { Config } from '../config/config';
import { type DatabaseServer, openDatabaseServer } from '../database/database-server';
import { embeddedPostgresUrl } from '../database/embedded-postgres';
import { runningEmbeddedPostgres } from '../database/embedded-postgres-running';

/** The database cannot be reached or opened, for a reason the user can act on: said without a stack trace. */
export class CliDatabaseUnavailable extends Error {}

/**
 * The database a CLI command works on: DATABASE_URL when set; else the embedded cluster under the
 * data directory. A running service has that cluster open already, and a second server cannot
 * open it, so when a live server holds it (its postmaster.pid names its port, whatever port the
 * service was given) or the configured embedded port answers, the command joins that server;
 * otherwise it starts the cluster itself, and stops it when done.
 */
export async function openCliDatabase(
  config: Config,
  log: (message: string) => void,
  serverLog: (message: string) => void = log,
): Promise<DatabaseServer> {
  if (config.databaseUrl) return openDatabaseServer(config, log, serverLog);
  const running = runningEmbeddedPostgres(config.dataDir);
  const port = running?.port ?? config.embeddedPostgresPort;
  const url = embeddedPostgresUrl(port);
  if (await answers(url))
    return { url, description: `the running embedded PostgreSQL on 127.0.0.1:${port}`, stop: async () => undefined };
  if (running)
    throw new CliDatabaseUnavailable(
      `the embedded PostgreSQL in ${running.clusterDirectory} is held by process ${running.pid} ` +
        `(postmaster.pid) but does not answer on 127.0.0.1:${port}: if the service is starting, try again ` +
        'in a moment; else stop that process, or set DATABASE_URL to the database to use.',
    );
  try {
    return await openDatabaseServer(config, log, serverLog);
  } catch (error) {
    throw new CliDatabaseUnavailable(
      `could not start the embedded PostgreSQL under ${config.dataDir}: ${firstLine(error)}. ` +
        'Set ALIASTRAIL_DATA_DIR to the data directory the service uses, or DATABASE_URL to its database.',
    );
  }
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A pool for a CLI command on `url`, named in pg_stat_activity, with the service's idle-transaction limit. */
export function cliPool(url: string, config: Config, applicationName: string, max: number): Pool {
  return createPool(url, { max, idleTransactionTimeoutMs: config.idleTransactionTimeoutMs, applicationName });
}
