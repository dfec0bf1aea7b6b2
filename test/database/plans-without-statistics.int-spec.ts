import { sql } from 'kysely';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * A new database, or one whose autovacuum is off (as on the CI machines), has no planner
 * statistics. The hot statements must still take the plans they were measured with
 * (db/migrations/0003_plans_without_statistics.sql).
 */
describe('plans without planner statistics', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Many aliases of one Region on a few keys, and no ANALYZE afterwards.
    await sql`
      INSERT INTO kms_aliases (account_id, region, alias_name, key_id, creation_date, last_updated_date)
      SELECT '111122223333', 'us-east-1', 'alias/a' || n, 'key-' || (n % 50), now(), now()
        FROM generate_series(1, 20000) AS n`.execute(database.db);
  });
  afterAll(() => database.drop());

  const plan = async (query: string) =>
    (await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN ${query}`).execute(database.db)).rows
      .map((row) => row['QUERY PLAN'])
      .join('\n');

  it('finds one alias by name through the primary key, as the projection trigger does', async () => {
    const text = await plan(
      `UPDATE kms_aliases SET key_id = 'key-1' WHERE (account_id, region, alias_name) = ('111122223333', 'us-east-1', 'alias/a77')`,
    );
    expect(text).toContain('kms_aliases_pkey');
    expect(text).not.toContain('kms_aliases_key_idx');
  });

  it("still finds a key's aliases, in name order, through the key index", async () => {
    const text = await plan(
      `SELECT alias_name FROM kms_aliases WHERE account_id = '111122223333' AND region = 'us-east-1' AND key_id = 'key-7' ORDER BY alias_name LIMIT 100`,
    );
    expect(text).toContain('kms_aliases_key_idx');
    expect(text).not.toMatch(/Sort/);
  });

  it('reads a unit of work’s history through the tags index, never in parallel', async () => {
    const { rows } = await sql<{ proconfig: string[] | null }>`
      SELECT proconfig FROM pg_proc WHERE proname = 'events_lock_and_read'`.execute(database.db);
    expect(rows[0]!.proconfig).toEqual(
      expect.arrayContaining(['max_parallel_workers_per_gather=0', 'enable_seqscan=off']),
    );
    // Under those settings, a batch's read of 96 tags among 30,000 events (no statistics) uses the index.
    await sql`
      INSERT INTO events (event_id, type, tags, data, occurred_at)
      SELECT gen_random_uuid(), 'Tested', ARRAY['alias:' || n, 'key:' || (n % 500)], '{}', now()
        FROM generate_series(1, 30000) AS n`.execute(database.db);
    const tags = Array.from({ length: 96 }, (_, i) => `'alias:${i * 7}'`).join(',');
    const text = await database.db.connection().execute(async (connection) => {
      await sql`SET max_parallel_workers_per_gather = 0`.execute(connection);
      await sql`SET enable_seqscan = off`.execute(connection);
      return (
        await sql
          .raw<{ 'QUERY PLAN': string }>(`EXPLAIN SELECT * FROM events WHERE tags && ARRAY[${tags}] ORDER BY position`)
          .execute(connection)
      ).rows
        .map((row) => row['QUERY PLAN'])
        .join('\n');
    });
    expect(text).toContain('events_tags_idx');
    expect(text).not.toMatch(/Seq Scan|Gather/);
  });
});
