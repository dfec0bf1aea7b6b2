import type { Config } from '../config/config';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseServer {
  readonly url: string;
  /** For logs: which server, without the password. */
  readonly description: string;
  stop(): Promise<void>;
}

/** `DATABASE_URL` when set; otherwise the embedded PostgreSQL under the data directory. */
export async function openDatabaseServer(
  config: Config,
  log: (message: string) => void,
  serverLog: (message: string) => void = log,
): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return { url: config.databaseUrl, description: `${url.host}${url.pathname}`, stop: async () => undefined };
  }
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPostgresPort,
    log,
    serverLog: (message) => serverLog(`embedded postgres: ${message}`),
    settings: { idle_in_transaction_session_timeout: String(config.idleTransactionTimeoutMs * 2) },
  });
  return {
    url: embedded.url,
    description: `embedded PostgreSQL in ${embedded.dataDirectory} on 127.0.0.1:${config.embeddedPostgresPort}`,
    stop: () => embedded.stop(),
  };
}
