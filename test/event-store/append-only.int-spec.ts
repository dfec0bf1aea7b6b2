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

  it.each([
    ['UPDATE', `UPDATE events SET type = 'Forged'`],
    ['DELETE', 'DELETE FROM events'],
    ['TRUNCATE', 'TRUNCATE events'],
  ])('rejects %s with a clear error', async (operation, statement) => {
    await expect(sql.raw(statement).execute(database.db)).rejects.toThrow(
      `events is append-only: ${operation} is not allowed`,
    );
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
