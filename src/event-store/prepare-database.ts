import { assertTransactionIdsBehindServer } from './restore-check';
import { createKysely, createPool } from '../database/create-database';
import { runMigrations } from '../database/migrator';

/** Start-up work before the app serves anything: migrate, then refuse a store restored into a younger cluster. */
export async function prepareDatabase(databaseUrl: string, log: (message: string) => void): Promise<void> {
  await runMigrations(databaseUrl, { log });
  const db = createKysely(
    createPool(databaseUrl, { max: 1, idleTransactionTimeoutMs: 60_000, connectTimeoutMs: 10_000 }),
  );
  try {
    await assertTransactionIdsBehindServer(db);
  } finally {
    await db.destroy();
  }
}
