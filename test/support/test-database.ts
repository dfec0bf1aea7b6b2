import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import type { Kysely } from 'kysely';
import { createKysely, createPool } from '../../src/database/create-database';
import type { Database } from '../../src/database/database.types';
import { databaseUrlFor } from './database-url';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  readonly pool: Pool;
  readonly db: Kysely<Database>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.ALIASTRAIL_TEST_ADMIN_URL;
  if (!url)
    throw new Error('ALIASTRAIL_TEST_ADMIN_URL is unset: run the tests through jest (test/support/global-setup.ts)');
  return url;
}

async function asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database: cloned from the migrated template, or empty when `migrated` is false. */
export async function createTestDatabase(
  options: { migrated?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const name = `aliastrail_t_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : process.env.ALIASTRAIL_TEST_TEMPLATE;
  await asAdmin(async (client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        // Two files cloning the template at the same instant: "source database is being accessed".
        if ((error as { code?: string }).code !== '55006' || attempt > 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  const url = databaseUrlFor(adminUrl(), name);
  const pool = createPool(url, { max: options.poolSize ?? 10, idleTransactionTimeoutMs: 30_000 });
  const db = createKysely(pool);
  return {
    url,
    name,
    pool,
    db,
    drop: async () => {
      await db.destroy();
      await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
