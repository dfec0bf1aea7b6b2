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

/** A fresh, migrated database on DATABASE_URL's server, or on a throw-away embedded PostgreSQL. */
export async function openBenchDatabase(): Promise<BenchDatabase> {
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
  const name = `aliastrail_bench_${Date.now().toString(36)}`;
  const admin = async (text: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = databaseUrlFor(serverUrl, name);
  await runMigrations(url);
  const { rows } = await queryOnce(url, 'SHOW server_version');
  return {
    url,
    server: `${server}, PostgreSQL ${rows[0]?.server_version}`,
    close: async () => {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
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
