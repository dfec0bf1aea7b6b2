import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultFunctionsDirectory, defaultMigrationsDirectory, runMigrations } from '../../src/database/migrator';
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
  let olderFunctions: string;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
    older = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-before-0017-'));
    for (const file of fs.readdirSync(defaultMigrationsDirectory()))
      if (file < '0017') fs.copyFileSync(path.join(defaultMigrationsDirectory(), file), path.join(older, file));
    // The function bodies of the schema before 0017: today's, but for the audit view and its writes,
    // which need 0017's columns (the migrations' own key bodies predate 0015's columns, and 0015 makes
    // their writes of keys fail on purpose).
    olderFunctions = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-functions-before-0017-'));
    for (const file of fs.readdirSync(defaultFunctionsDirectory()))
      if (file !== 'audit_events.sql')
        fs.copyFileSync(path.join(defaultFunctionsDirectory(), file), path.join(olderFunctions, file));
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(older, { recursive: true, force: true });
    fs.rmSync(olderFunctions, { recursive: true, force: true });
  });

  it('fills both columns of every row from its head event', async () => {
    await runMigrations(database.url, { directory: older, functionsDirectory: olderFunctions });
    const store = new EventStore(database.pool, database.db);
    // The calls the release before 0017 made: its audit view knows no grant, tag, policy or rotation event.
    const previousRelease = new Set([
      'KmsCallRecorded',
      'AliasCreated',
      'AliasRetargeted',
      'AliasDeleted',
      'KeyCreated',
      'KeyEnabled',
      'KeyDisabled',
      'KeyDeletionScheduled',
      'KeyDeletionCanceled',
      'KeyDeleted',
    ]);
    await store.append(everyKindOfCall('m').filter((event) => previousRelease.has(event.type)));
    const events = await wholeLog(store, database.db);
    await database.db.transaction().execute((trx) => new AuditEventsProjection().apply(trx, events));

    expect(await runMigrations(database.url)).toContain('0017_audit_named_aliases.sql');
    const rows = await auditRows(database.db);
    expect(rows).toEqual(foldAudit(events));
    expect(rows.filter((r) => (r.named_aliases as string[]).length > 0)).toHaveLength(7);
  });
});
