import { sql } from 'kysely';
import { checkpointOf } from '../../src/event-store/checkpoint';
import { EventStore } from '../../src/event-store/event-store';
import { anEvent } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * Readers that need a few event types (the projections) read the rest of the log as positions
 * only (readAll's `whole`), and the audit recorder appends without stored copies
 * (appendWithoutCopies), alone or in one transaction with units that lock tags.
 */
describe('reading some events whole, appending without copies', () => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 10 });
    store = new EventStore(database.pool, database.db);
  });
  afterAll(() => database.drop());

  it('reads every event in log order, with tags, data and metadata only for the types asked for', async () => {
    const types = ['Wanted', 'Other', 'Wanted', 'Record'];
    await store.append(
      types.map((type, i) => anEvent({ type, tags: [`t:${i}`], data: { i }, metadata: { requestId: `r${i}` } })),
    );
    const all = await store.readAll();
    const some = await store.readAll({ whole: ['Wanted'] });
    const none = await store.readAll({ whole: [] });
    expect(some.map(checkpointOf)).toEqual(all.map(checkpointOf));
    expect(none.map(checkpointOf)).toEqual(all.map(checkpointOf));
    expect(some.map((e) => [e.type, e.eventId, e.occurredAt, e.recordedAt])).toEqual(
      all.map((e) => [e.type, e.eventId, e.occurredAt, e.recordedAt]),
    );
    expect(some).toEqual(all.map((e) => (e.type === 'Wanted' ? e : { ...e, tags: [], data: null, metadata: {} })));
    expect(none.map((e) => [e.tags, e.data, e.metadata])).toEqual(all.map(() => [[], null, {}]));
  });

  it('appends without copies, alone and beside units that lock tags, every event once', async () => {
    const before = (await store.readAll({ limit: 10_000 })).length;
    const records = Array.from({ length: 40 }, (_, i) =>
      store.appendWithoutCopies([anEvent({ type: 'Record', data: { i } }), anEvent({ type: 'Record', data: { i } })]),
    );
    // Submitted in the same turn: the batcher may put them in the recorder's transactions.
    const units = Array.from({ length: 40 }, (_, i) =>
      store.withConsistency([`k:${i % 4}`], async ({ history }) => [
        anEvent({ type: 'Decided', tags: [`k:${i % 4}`], data: { seen: history.length } }),
      ]),
    );
    expect(await Promise.all(records)).toEqual(records.map(() => 2));
    const decided = await Promise.all(units);
    expect(decided.every((result) => result.events.length === 1)).toBe(true);
    const { rows } = await sql<{ type: string; n: number }>`
      SELECT type, count(*)::int AS n FROM events GROUP BY type ORDER BY type`.execute(database.db);
    expect(rows).toEqual(
      expect.arrayContaining([
        { type: 'Decided', n: 40 },
        { type: 'Record', n: 81 },
      ]),
    );
    // Units on one tag saw each other in order: 0 … 9 events before them.
    const seen = decided.map((result) => (result.events[0]!.data as { seen: number }).seen);
    for (let tag = 0; tag < 4; tag++)
      expect(seen.filter((_, i) => i % 4 === tag).sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect((await store.readAll({ limit: 10_000 })).length).toBe(before + 120);
  });
});
