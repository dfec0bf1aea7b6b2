import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import type { Database } from './database.types';
import { type AppliedFunctionFile, type FunctionFile, planFunctions, toFunctionFile } from './function-plan';
import { type AppliedMigration, type MigrationFile, planMigrations, toMigrationFile } from './migration-plan';

/** `db/<name>` of this checkout, found from this file whether it runs from src/ or dist/src/. */
function projectDbDirectory(name: 'migrations' | 'functions'): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'db', name);
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`db/${name} not found above ${__dirname}`);
  }
}

export const defaultMigrationsDirectory = () => projectDbDirectory('migrations');
export const defaultFunctionsDirectory = () => projectDbDirectory('functions');

function readSqlFiles<T>(directory: string, toFile: (name: string, sql: string) => T): T[] {
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => toFile(name, fs.readFileSync(path.join(directory, name), 'utf8')));
}

export const readMigrationFiles = (directory: string): MigrationFile[] => readSqlFiles(directory, toMigrationFile);

export interface MigrateOptions {
  /** The versioned migrations; with it and no `functionsDirectory`, no function files are applied. */
  readonly directory?: string;
  readonly functionsDirectory?: string;
  readonly log?: (message: string) => void;
}

/**
 * Applies pending migrations, then the function files of db/functions that are new or changed (as
 * Flyway applies repeatable migrations after the versioned ones), each file in its own transaction.
 * A session advisory lock makes concurrent start-ups queue: the second one finds the work done and
 * applies nothing. Returns the migrations applied.
 */
export async function runMigrations(connectionString: string, options: MigrateOptions = {}): Promise<string[]> {
  const files = readMigrationFiles(options.directory ?? defaultMigrationsDirectory());
  const functionsDirectory =
    options.functionsDirectory ?? (options.directory === undefined ? defaultFunctionsDirectory() : undefined);
  const functionFiles = functionsDirectory === undefined ? [] : readSqlFiles(functionsDirectory, toFunctionFile);
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
    await applyFunctionFiles(client, functionFiles, options.log);
    return pending.map((migration) => migration.fileName);
  } finally {
    await client.end();
  }
}

/**
 * Applies each new or changed function file in its own transaction and records its checksum. A
 * body replaced here is live for every instance at commit, older ones included: see README
 * "Database functions" for what a change must keep working.
 */
async function applyFunctionFiles(client: Client, files: readonly FunctionFile[], log?: (message: string) => void) {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_functions (
    file_name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await client.query<AppliedFunctionFile>(
    'SELECT file_name AS "fileName", checksum FROM schema_functions',
  );
  for (const file of planFunctions(files, rows)) {
    await client.query('BEGIN');
    try {
      await client.query(file.sql);
      await client.query(
        `INSERT INTO schema_functions (file_name, checksum) VALUES ($1, $2)
         ON CONFLICT (file_name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()`,
        [file.fileName, file.checksum],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new Error(`function file ${file.fileName} failed: ${(error as Error).message}`, { cause: error });
    }
    // Not "applied migration …": CI's smoke test reads that line as "the schema changed".
    log?.(`applied function file ${file.fileName}`);
  }
}

/** How many migration files on disk are not applied yet (0 when the schema is current). */
export async function pendingMigrationCount(db: Kysely<Database>, directory?: string): Promise<number> {
  const applied = await db.selectFrom('schema_migrations').select(['version', 'name', 'checksum']).execute();
  return planMigrations(readMigrationFiles(directory ?? defaultMigrationsDirectory()), applied).length;
}
