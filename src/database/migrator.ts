import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import type { Database } from './database.types';
import { type AppliedMigration, type MigrationFile, planMigrations, toMigrationFile } from './migration-plan';

/** `db/migrations` of this checkout, found from this file whether it runs from src/ or dist/src/. */
export function defaultMigrationsDirectory(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'db', 'migrations');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`db/migrations not found above ${__dirname}`);
  }
}

export function readMigrationFiles(directory: string): MigrationFile[] {
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => toMigrationFile(name, fs.readFileSync(path.join(directory, name), 'utf8')));
}

export interface MigrateOptions {
  readonly directory?: string;
  readonly log?: (message: string) => void;
}

/**
 * Applies pending migrations, each in its own transaction. A session advisory lock makes concurrent
 * start-ups queue: the second one finds the work done and applies nothing.
 */
export async function runMigrations(connectionString: string, options: MigrateOptions = {}): Promise<string[]> {
  const files = readMigrationFiles(options.directory ?? defaultMigrationsDirectory());
  const client = new Client({
    connectionString,
    application_name: 'aliastrail-migrate',
    // Start-up fails within seconds on a database that cannot be reached; the lock below still waits
    // for another instance's migrations, however long they take.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  });
  client.on('error', () => undefined); // a lost connection fails the query in progress, which reports it
  await client.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtextextended('aliastrail:migrations', 0))`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<AppliedMigration>('SELECT version, name, checksum FROM schema_migrations');
    const pending = planMigrations(files, rows);
    for (const migration of pending) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.fileName} failed: ${(error as Error).message}`, { cause: error });
      }
      options.log?.(`applied migration ${migration.fileName}`);
    }
    return pending.map((migration) => migration.fileName);
  } finally {
    await client.end();
  }
}

/** How many migration files on disk are not applied yet (0 when the schema is current). */
export async function pendingMigrationCount(db: Kysely<Database>, directory?: string): Promise<number> {
  const applied = await db.selectFrom('schema_migrations').select(['version', 'name', 'checksum']).execute();
  return planMigrations(readMigrationFiles(directory ?? defaultMigrationsDirectory()), applied).length;
}
