import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrator';
import { databaseUrlFor } from '../support/database-url';

export interface BenchDatabase {
  readonly url: string;
  readonly server: string;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database on DATABASE_URL's server, or on a throw-away embedded PostgreSQL. With
 * `keep` (and DATABASE_URL), the database of that name instead, created if missing, migrated, and
 * left in place at close: a seeded history is then reused by the next run.
 */
export async function openBenchDatabase(keep?: string): Promise<BenchDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined;
  let server = serverUrl ? new URL(serverUrl).host : '';
  if (!serverUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-bench-pg-'));
    fs.chmodSync(dir, 0o755);
    const embedded = await startEmbeddedPostgres({
      dataDir: dir,
      port: 56000 + Math.floor(Math.random() * 500),
      log: () => undefined,
    });
    serverUrl = embedded.url;
    server = 'embedded PostgreSQL';
    stopServer = async () => {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  if (keep !== undefined && !/^[a-z_][a-z0-9_]*$/.test(keep)) throw new Error(`not a database name: ${keep}`);
  const kept = keep !== undefined && process.env.DATABASE_URL !== undefined;
  const name = kept ? keep : `aliastrail_bench_${Date.now().toString(36)}`;
  const admin = async (text: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  const exists =
    kept && (await queryOnce(serverUrl, `SELECT 1 FROM pg_database WHERE datname = '${name}'`)).rowCount! > 0;
  if (!exists) await admin(`CREATE DATABASE ${name}`);
  const url = databaseUrlFor(serverUrl, name);
  await runMigrations(url);
  const { rows } = await queryOnce(url, 'SHOW server_version');
  return {
    url,
    server: `${server}, PostgreSQL ${rows[0]?.server_version}`,
    close: async () => {
      if (!kept) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await stopServer();
    },
  };
}

async function queryOnce(url: string, text: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}
