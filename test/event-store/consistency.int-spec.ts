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

describe('consistency by tags under 32 concurrent units of work', () => {
  let database: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: CLIENTS + 4 });
    store = new EventStore(database.db);
  });
  afterAll(() => database.drop());

  const createdCount = async (tag: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE ${tag} = ANY(tags)`.execute(database.db))
      .rows[0]!.n;

  it('lets exactly one "create if absent" win per round', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const tag = `alias:round-${round}`;
      const result = await outcomes(Array.from({ length: CLIENTS }, () => createIfAbsent(store, tag)));
      expect(result).toEqual({ wins: 1, losses: CLIENTS - 1 });
      expect(await createdCount(tag)).toBe(1);
    }
  });

  it('does so too when the deciding tag is one of several locked in random order, without deadlocks', async () => {
    const pool = ['key:a', 'key:b', 'key:c', 'key:d', 'key:e'];
    for (let round = 0; round < ROUNDS; round++) {
      const tag = `alias:multi-${round}`;
      const attempts = Array.from({ length: CLIENTS }, () => {
        const others = pool.filter(() => randomInt(2) === 0);
        const lockTags = [tag, ...others].sort(() => randomInt(3) - 1);
        return createIfAbsent(store, tag, lockTags);
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
      const attempts = Array.from({ length: CLIENTS }, () =>
        store.withConsistency([], async () => {
          if ((await store.readByTags([tag])).length > 0) throw new AlreadyExists(tag);
          return [anEvent({ type: 'Created', tags: [tag] })];
        }),
      );
      if ((await outcomes(attempts)).wins > 1) roundsWithDuplicates++;
    }
    expect(roundsWithDuplicates).toBeGreaterThan(0);
  });
});
