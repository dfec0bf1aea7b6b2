import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { nativeImport } from '../../src/database/native-import';
import { runMigrations } from '../../src/database/migrator';
import { databaseUrlFor } from './database-url';

type Stoppable = { stop(): Promise<unknown> };
const state = globalThis as typeof globalThis & { __aliastrailTestServer?: Stoppable; __aliastrailTestDir?: string };

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set; else a testcontainers one when a Docker
 * engine answers; else the embedded PostgreSQL. One database is migrated there as the template that
 * every test file clones (fast, and isolated).
 */
export default async function globalSetup(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL || (await startContainer()) || (await startEmbedded());
  const template = `aliastrail_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  await runMigrations(databaseUrlFor(adminUrl, template));
  process.env.ALIASTRAIL_TEST_ADMIN_URL = adminUrl;
  process.env.ALIASTRAIL_TEST_TEMPLATE = template;
}

async function startContainer(): Promise<string | undefined> {
  if (!process.env.DOCKER_HOST && !fs.existsSync('/var/run/docker.sock')) return undefined;
  try {
    const { getContainerRuntimeClient } = await nativeImport<typeof import('testcontainers')>('testcontainers');
    await getContainerRuntimeClient();
    const { PostgreSqlContainer } =
      await nativeImport<typeof import('@testcontainers/postgresql')>('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').start();
    state.__aliastrailTestServer = container;
    return container.getConnectionUri();
  } catch {
    return undefined; // no working engine: fall through to the embedded server
  }
}

async function startEmbedded(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-test-pg-'));
  fs.chmodSync(dir, 0o755);
  const port = 55400 + Math.floor(Math.random() * 500);
  const server = await startEmbeddedPostgres({ dataDir: dir, port, log: () => undefined });
  state.__aliastrailTestServer = server;
  state.__aliastrailTestDir = dir;
  return server.url;
}
