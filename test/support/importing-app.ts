import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Kysely } from 'kysely';
import { createKysely, createPool } from '../../src/database/create-database';
import type { Database } from '../../src/database/database.types';
import { type KmsTestApp, startKmsApp } from './kms-test-app';

/** An app to import CloudTrail into, its principals, a folder for files, and the import's database handle. */
export interface ImportingApp {
  readonly kms: KmsTestApp;
  /** What `import cloudtrail` holds: one connection (its staging table lives in its session). */
  readonly db: Kysely<Database>;
  /** A temporary folder for the files a test writes, removed at close. */
  readonly root: string;
  close(): Promise<void>;
}

/** Starts the service with these principals (and `env`), for tests that import into it. */
export async function startImportingApp(
  principals: readonly object[],
  env: Record<string, string> = {},
): Promise<ImportingApp> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-importing-'));
  const file = path.join(root, 'principals.json');
  fs.writeFileSync(file, JSON.stringify({ principals }));
  const kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20', ...env });
  const db = createKysely(createPool(kms.database.url, { max: 1, idleTransactionTimeoutMs: 30_000 }));
  return {
    kms,
    db,
    root,
    close: async () => {
      await db.destroy();
      await kms.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
