import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sql } from 'kysely';
import { runMigrations } from '../../src/database/migrator';
import { prepareDatabase } from '../../src/event-store/prepare-database';
import { RestoredIntoYoungerClusterError } from '../../src/event-store/restore-check';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

describe('SQL migrations', () => {
  let database: TestDatabase;
  let dir: string;

  beforeEach(async () => {
    database = await createTestDatabase({ migrated: false });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-migrations-'));
    // Neither file may run twice: a second CREATE TABLE or INSERT of the same key fails.
    fs.writeFileSync(
      path.join(dir, '0001_first.sql'),
      'CREATE TABLE first (id int PRIMARY KEY); INSERT INTO first VALUES (1);',
    );
    fs.writeFileSync(path.join(dir, '0002_second.sql'), 'CREATE TABLE second (id int PRIMARY KEY);');
  });
  afterEach(async () => {
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const recorded = async () =>
    (
      await sql<{
        version: string;
        checksum: string;
      }>`SELECT version, checksum FROM schema_migrations ORDER BY version`.execute(database.db)
    ).rows;

  it('applies files in order once, recording each with its checksum', async () => {
    expect(await runMigrations(database.url, { directory: dir })).toEqual(['0001_first.sql', '0002_second.sql']);
    expect(await runMigrations(database.url, { directory: dir })).toEqual([]);
    const rows = await recorded();
    expect(rows.map((r) => r.version)).toEqual(['0001', '0002']);
    expect(rows[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets only one of 8 concurrent start-ups apply each migration', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => runMigrations(database.url, { directory: dir })));
    expect(results.flat().sort()).toEqual(['0001_first.sql', '0002_second.sql']);
    expect((await recorded()).length).toBe(2);
  });

  it('stops with a clear error when an applied file was edited', async () => {
    await runMigrations(database.url, { directory: dir });
    fs.appendFileSync(path.join(dir, '0001_first.sql'), '\n-- an innocent comment');
    await expect(runMigrations(database.url, { directory: dir })).rejects.toThrow(
      /0001_first\.sql was edited after it was applied/,
    );
  });

  it('rolls back a failing migration whole and records nothing for it', async () => {
    fs.writeFileSync(path.join(dir, '0003_broken.sql'), 'CREATE TABLE third (id int); SELECT no_such_function();');
    await expect(runMigrations(database.url, { directory: dir })).rejects.toThrow(/0003_broken\.sql failed/);
    expect((await recorded()).map((r) => r.version)).toEqual(['0001', '0002']);
    const { rows } = await sql<{ t: string | null }>`SELECT to_regclass('third')::text AS t`.execute(database.db);
    expect(rows[0]!.t).toBeNull();
  });

  it('applies the project migrations and makes the events table', async () => {
    await prepareDatabase(database.url, () => undefined);
    const { rows } = await sql<{ t: string | null }>`SELECT to_regclass('events')::text AS t`.execute(database.db);
    expect(rows[0]!.t).toBe('events');
  });
});

describe('start-up on a store restored into a younger cluster', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('refuses to run and explains the fix', async () => {
    await prepareDatabase(database.url, () => undefined); // a normal store starts
    // What pg_restore into a younger cluster leaves: ids the server has not reached yet.
    await sql`INSERT INTO events (transaction_id, event_id, type, data, occurred_at)
              VALUES ((pg_snapshot_xmax(pg_current_snapshot())::text::bigint + 1000000)::text::xid8,
                      gen_random_uuid(), 'Restored', '{}', now())`.execute(database.db);
    const attempt = prepareDatabase(database.url, () => undefined);
    await expect(attempt).rejects.toThrow(RestoredIntoYoungerClusterError);
    await expect(prepareDatabase(database.url, () => undefined)).rejects.toThrow(
      /logical restore.*pg_resetwal -e \d+ -x \d+/s,
    );
  });
});
