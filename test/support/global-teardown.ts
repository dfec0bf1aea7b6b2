import * as fs from 'node:fs';
import { Client } from 'pg';

type Stoppable = { stop(): Promise<unknown> };
const state = globalThis as typeof globalThis & { __aliastrailTestServer?: Stoppable; __aliastrailTestDir?: string };

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.ALIASTRAIL_TEST_ADMIN_URL;
  const template = process.env.ALIASTRAIL_TEST_TEMPLATE;
  if (adminUrl && template && !state.__aliastrailTestServer) {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await state.__aliastrailTestServer?.stop();
  if (state.__aliastrailTestDir) fs.rmSync(state.__aliastrailTestDir, { recursive: true, force: true });
}
