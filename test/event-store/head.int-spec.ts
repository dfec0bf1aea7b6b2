import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

describe('the head of the log', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('orders transaction ids as numbers, not as text', async () => {
    // Ids of different lengths: as text, "99" would sort after "100".
    for (const tx of ['99', '100']) {
      await sql`INSERT INTO events (transaction_id, event_id, type, data, occurred_at)
                VALUES (${tx}::xid8, gen_random_uuid(), 'Tested', '{}', now())`.execute(database.db);
    }
    const store = new EventStore(database.pool, database.db);
    expect((await store.head()).transactionId).toBe(100n);
    expect((await store.readAll()).map((e) => e.transactionId)).toEqual([99n, 100n]);
    expect((await store.readCheckpoints()).map((c) => c.transactionId)).toEqual([99n, 100n]);
  });
});
