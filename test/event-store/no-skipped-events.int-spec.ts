import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { AppendListener } from '../../src/event-store/append-listener';
import { AppendNotifier } from '../../src/event-store/append-notifier';
import { EventStore } from '../../src/event-store/event-store';
import { EventSubscription } from '../../src/event-store/event-subscription';
import { checkpointOf } from '../../src/event-store/checkpoint';
import type { Checkpoint, StoredEvent } from '../../src/event-store/event.types';
import { anEvent, eventually, sleep } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const WRITERS = 32;
const UNITS_PER_WRITER = 40;
const STREAMS = 48;

class DecidedAgainst extends Error {}

/**
 * The failure this guards against: positions are taken at insert and become visible at commit, so a
 * reader that checkpoints only the position skips events whose transaction commits late. Here 32
 * writers (8 store instances, as 8 service processes would) append while a trigger in the test
 * database holds each inserting transaction open 0-20 ms after its insert and rolls back 1 in 10 of
 * them; 1 in 10 units also decides to append nothing. A subscriber tails from the start meanwhile.
 */
describe('a subscriber tailing under 32 concurrent writers', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: WRITERS + 8 });
    await sql`
      CREATE FUNCTION test_commit_jitter() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_sleep(random() * 0.02);
        IF random() < 0.1 THEN RAISE EXCEPTION 'test rollback after insert'; END IF;
        RETURN NULL;
      END $$`.execute(database.db);
    await sql`CREATE TRIGGER test_commit_jitter AFTER INSERT ON events
              FOR EACH STATEMENT EXECUTE FUNCTION test_commit_jitter()`.execute(database.db);
  });
  afterAll(() => database.drop());

  it('sees every committed event exactly once, no rolled-back one, and each tag in append order', async () => {
    const notifier = new AppendNotifier(database.pool);
    const stores = Array.from(
      { length: 8 },
      () => new EventStore(database.pool, database.db, { afterCommit: () => notifier.notify() }),
    );
    const listener = new AppendListener(database.url);
    await listener.start();
    const seen: StoredEvent[] = [];
    const subscription = new EventSubscription(listener, {
      name: 'test',
      read: (after, limit) => stores[0]!.readAll({ after, limit }),
      batchSize: 50,
      pollIntervalMs: 500,
      handle: async (events) => {
        seen.push(...events);
      },
    });
    // A second reader that tracks progress only must see the very same sequence.
    const progress: Checkpoint[] = [];
    const tracker = new EventSubscription(listener, {
      name: 'progress',
      batchSize: 70,
      pollIntervalMs: 500,
      read: (after, limit) => stores[1]!.readCheckpoints({ after, limit }),
      handle: async (checkpoints) => {
        progress.push(...checkpoints);
      },
    });
    subscription.start();
    tracker.start();
    try {
      await runAndCheck(stores, seen);
      await eventually(() => progress.length >= seen.length, 5000);
      expect(progress).toEqual(seen.map(checkpointOf));
    } finally {
      await subscription.stop();
      await tracker.stop();
      await listener.stop();
    }
  });
});

async function runAndCheck(stores: EventStore[], seen: StoredEvent[]): Promise<void> {
  const committed = new Set<string>();
  const attempted = new Set<string>();
  let rolledBack = 0;
  const writer = async (writerId: number) => {
    const store = stores[writerId % stores.length]!;
    for (let unit = 0; unit < UNITS_PER_WRITER; unit++) {
      const stream = `stream:${randomInt(STREAMS)}`;
      try {
        const result = await store.withConsistency([stream], async ({ history }) => {
          if (randomInt(10) === 0) throw new DecidedAgainst();
          // Each event's place in its stream, from the history read under the lock.
          const events = Array.from({ length: 1 + randomInt(2) }, (_, i) =>
            anEvent({ tags: [stream], data: { stream, seq: history.length + i + 1, writerId } }),
          );
          events.forEach((event) => attempted.add(event.eventId));
          return events;
        });
        result.events.forEach((event) => committed.add(event.eventId));
      } catch (error) {
        if (error instanceof DecidedAgainst) continue;
        if (!/test rollback after insert/.test((error as Error).message)) throw error;
        rolledBack += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));

  await eventually(() => seen.length >= committed.size, 10_000);
  await sleep(600); // one more poll: anything extra would arrive now

  const seenIds = seen.map((e) => e.eventId);
  expect(rolledBack).toBeGreaterThan(0);
  expect(new Set(seenIds).size).toBe(seenIds.length); // exactly once
  expect(seenIds.length).toBe(committed.size);
  expect(seenIds.every((id) => committed.has(id))).toBe(true);
  expect([...attempted].filter((id) => !committed.has(id)).some((id) => seenIds.includes(id))).toBe(false);

  // Per tag, delivery order is append order: seq runs 1, 2, 3, … with no gap or swap.
  const nextSeq = new Map<string, number>();
  for (const event of seen) {
    const { stream, seq } = event.data as { stream: string; seq: number };
    expect(seq).toBe((nextSeq.get(stream) ?? 0) + 1);
    nextSeq.set(stream, seq);
  }

  // The race really happened: events arrived out of position order, which a position-only reader would skip.
  const inversions = seen.filter((event, i) => i > 0 && event.position < seen[i - 1]!.position).length;
  expect(inversions).toBeGreaterThan(0);
}
