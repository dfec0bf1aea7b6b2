import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import { anEvent } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

describe('the events table is append-only, enforced by PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    await new EventStore(database.pool, database.db).append([anEvent({ data: { n: 1 } }), anEvent({ data: { n: 2 } })]);
  });
  afterAll(() => database.drop());

  // TRUNCATE meets the ledger's foreign key first (db/migrations/0011), CASCADE the triggers of
  // events or of the ledger: refused either way, and nothing goes.
  it.each([
    ['UPDATE', `UPDATE events SET type = 'Forged'`, /events is append-only: UPDATE is not allowed/],
    ['DELETE', 'DELETE FROM events', /events is append-only: DELETE is not allowed/],
    ['TRUNCATE', 'TRUNCATE events', /append-only: TRUNCATE is not allowed|referenced in a foreign key constraint/],
    ['TRUNCATE … CASCADE', 'TRUNCATE events CASCADE', /(events|ledger\w*) is append-only: TRUNCATE is not allowed/],
  ])('rejects %s with a clear error', async (_operation, statement, error) => {
    await expect(sql.raw(statement).execute(database.db)).rejects.toThrow(error);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE type = 'Tested'`.execute(
      database.db,
    );
    expect(rows[0]!.n).toBe(2);
  });

  it('rejects a targeted UPDATE and DELETE of one row too', async () => {
    await expect(
      sql`UPDATE events SET data = '{}' WHERE position = (SELECT min(position) FROM events)`.execute(database.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`DELETE FROM events WHERE position = (SELECT min(position) FROM events)`.execute(database.db),
    ).rejects.toThrow(/append-only/);
  });
});
