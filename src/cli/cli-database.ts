import { Client, type Pool } from 'pg';
import { createPool } from '../database/create-database';
import type { Config } from '../config/config';
import { type DatabaseServer, openDatabaseServer } from '../database/database-server';
import { embeddedPostgresUrl } from '../database/embedded-postgres';

/**
 * The database a CLI command works on: DATABASE_URL when set; else the embedded cluster under the
 * data directory. A running service has that cluster open already, and a second server cannot
 * open it, so when the embedded port answers, the command joins that server; otherwise it starts
 * the cluster itself, and stops it when done.
 */
export async function openCliDatabase(
  config: Config,
  log: (message: string) => void,
  serverLog: (message: string) => void = log,
): Promise<DatabaseServer> {
  if (!config.databaseUrl) {
    const url = embeddedPostgresUrl(config.embeddedPostgresPort);
    if (await answers(url))
      return {
        url,
        description: `the running embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort}`,
        stop: async () => undefined,
      };
  }
  return openDatabaseServer(config, log, serverLog);
}

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
