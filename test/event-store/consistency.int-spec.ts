import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import { anEvent } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const CLIENTS = 32;
const ROUNDS = 25;

class AlreadyExists extends Error {}

/** "Create if absent": the decision CreateAlias makes. */
function createIfAbsent(store: EventStore, tag: string, lockTags: readonly string[] = [tag]) {
  return store.withConsistency(lockTags, async ({ history }) => {
    if (history.some((event) => event.tags.includes(tag))) throw new AlreadyExists(tag);
    return [anEvent({ type: 'Created', tags: [tag] })];
  });
}

async function outcomes(attempts: Promise<unknown>[]): Promise<{ wins: number; losses: number }> {
  const settled = await Promise.allSettled(attempts);
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  const unexpected = failures.find((f) => !(f.reason instanceof AlreadyExists));
  if (unexpected) throw unexpected.reason;
  return { wins: settled.length - failures.length, losses: failures.length };
}

/**
 * Each client has its own EventStore, as separate service processes would: within one process,
 * units on one tag queue behind each other before reaching the database; across processes only the
 * advisory locks in PostgreSQL keep them apart, and that is what these races test.
 */
describe('consistency by tags under 32 concurrent units of work', () => {
  let database: TestDatabase;
  let stores: EventStore[];
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: CLIENTS + 4 });
    stores = Array.from({ length: CLIENTS }, () => new EventStore(database.pool, database.db));
    store = stores[0]!;
  });
  afterAll(() => database.drop());

  const createdCount = async (tag: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE ${tag} = ANY(tags)`.execute(database.db))
      .rows[0]!.n;

  it('lets exactly one "create if absent" win per round, across processes', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const tag = `alias:round-${round}`;
      const result = await outcomes(stores.map((client) => createIfAbsent(client, tag)));
      expect(result).toEqual({ wins: 1, losses: CLIENTS - 1 });
      expect(await createdCount(tag)).toBe(1);
    }
  });

  it('lets exactly one win within one process too (units on one tag queue)', async () => {
    for (let round = 0; round < 5; round++) {
      const tag = `alias:one-process-${round}`;
      const result = await outcomes(Array.from({ length: CLIENTS }, () => createIfAbsent(store, tag)));
      expect(result).toEqual({ wins: 1, losses: CLIENTS - 1 });
    }
  });

  it('does so too when the deciding tag is one of several locked in random order, without deadlocks', async () => {
    const pool = ['key:a', 'key:b', 'key:c', 'key:d', 'key:e'];
    for (let round = 0; round < ROUNDS; round++) {
      const tag = `alias:multi-${round}`;
      const attempts = stores.map((client) => {
        const others = pool.filter(() => randomInt(2) === 0);
        const lockTags = [tag, ...others].sort(() => randomInt(3) - 1);
        return createIfAbsent(client, tag, lockTags);
      });
      expect(await outcomes(attempts)).toEqual({ wins: 1, losses: CLIENTS - 1 });
    }
  });

  it('(control) lets several win when the tag is not locked, so the test above can fail', async () => {
    // Same decision, but the history is read without taking the tag's lock first.
    let rounds = 0;
    let roundsWithDuplicates = 0;
    while (rounds < ROUNDS && roundsWithDuplicates === 0) {
      const tag = `alias:unlocked-${rounds++}`;
      const attempts = stores.map((client) =>
        client.withConsistency([], async () => {
          if ((await store.readByTags([tag])).length > 0) throw new AlreadyExists(tag);
          return [anEvent({ type: 'Created', tags: [tag] })];
        }),
      );
      if ((await outcomes(attempts)).wins > 1) roundsWithDuplicates++;
    }
    expect(roundsWithDuplicates).toBeGreaterThan(0);
  });
});
