import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultMigrationsDirectory, runMigrations } from '../../src/database/migrator';
import { EventStore } from '../../src/event-store/event-store';
import { AuditEventsProjection } from '../../src/projections/audit/audit-events.projection';
import { everyKindOfCall } from '../support/audit-calls';
import { auditRows, foldAudit } from '../support/audit-fold';
import { wholeLog } from '../support/rebuild-log';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * Migration 0017 adds principal_arn and named_aliases to the audit rows that exist: after it, the
 * rows the previous release's projection wrote are the rows the records say, as if built anew.
 */
describe('migration 0017 on audit rows written before it', () => {
  let database: TestDatabase;
  let older: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    older = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-before-0017-'));
    for (const file of fs.readdirSync(defaultMigrationsDirectory()))
      if (file < '0017') fs.copyFileSync(path.join(defaultMigrationsDirectory(), file), path.join(older, file));
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it('fills both columns of every row from its head event', async () => {
    // The schema and bodies before 0017 (`directory` alone applies no function file).
    await runMigrations(database.url, { directory: older });
    const store = new EventStore(database.pool, database.db);
    await store.append(everyKindOfCall('m'));
    const events = await wholeLog(store, database.db);
    await database.db.transaction().execute((trx) => new AuditEventsProjection().apply(trx, events));

    expect(await runMigrations(database.url)).toContain('0017_audit_named_aliases.sql');
    const rows = await auditRows(database.db);
    expect(rows).toEqual(foldAudit(events));
    expect(rows.filter((r) => (r.named_aliases as string[]).length > 0)).toHaveLength(7);
  });
});
