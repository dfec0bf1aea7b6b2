import { randomInt } from 'node:crypto';
import { AppendListener } from '../../src/event-store/append-listener';
import { AppendNotifier } from '../../src/event-store/append-notifier';
import { EventStore } from '../../src/event-store/event-store';
import { EventSubscription } from '../../src/event-store/event-subscription';
import type { StoredEvent } from '../../src/event-store/event.types';
import { anEvent, eventually, sleep } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const WRITERS = 32;
const UNITS_PER_WRITER = 40;
const STREAMS = 48;

class Rollback extends Error {}

/**
 * The failure this guards against: positions are taken at insert and become visible at commit, so a
 * reader that checkpoints only the position skips events whose transaction commits late. Here 32
 * writers hold each transaction open 0-20 ms after inserting, and 1 in 8 rolls back, while a
 * subscriber tails from the start.
 */
describe('a subscriber tailing under 32 concurrent writers', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: WRITERS + 8 });
  });
  afterAll(() => database.drop());

  it('sees every committed event exactly once, no rolled-back one, and each tag in append order', async () => {
    const notifier = new AppendNotifier(database.pool);
    const store = new EventStore(database.db, { afterCommit: () => notifier.notify() });
    const listener = new AppendListener(database.url);
    await listener.start();
    const seen: StoredEvent[] = [];
    const subscription = new EventSubscription(store, listener, {
      name: 'test',
      batchSize: 50,
      pollIntervalMs: 500,
      handle: async (events) => {
        seen.push(...events);
      },
    });
    subscription.start();
    try {
      await runAndCheck(store, seen);
    } finally {
      await subscription.stop();
      await listener.stop();
    }
  });
});

async function runAndCheck(store: EventStore, seen: StoredEvent[]): Promise<void> {
  const committed = new Set<string>();
  const rolledBack = new Set<string>();
  const writer = async (writerId: number) => {
    for (let unit = 0; unit < UNITS_PER_WRITER; unit++) {
      const stream = `stream:${randomInt(STREAMS)}`;
      const ids: string[] = [];
      try {
        await store.withConsistency([stream], async ({ history, append }) => {
          // The position of each event in its stream, from the history read under the lock.
          const count = 1 + randomInt(2);
          const events = Array.from({ length: count }, (_, i) =>
            anEvent({ tags: [stream], data: { stream, seq: history.length + i + 1, writerId } }),
          );
          ids.push(...events.map((e) => e.eventId));
          await append(events);
          await sleep(randomInt(21)); // commit late: later positions of other writers commit first
          if (randomInt(8) === 0) throw new Rollback();
        });
        ids.forEach((id) => committed.add(id));
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
        ids.forEach((id) => rolledBack.add(id));
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));

  await eventually(() => seen.length >= committed.size, 10_000);
  await sleep(600); // one more poll: anything extra would arrive now

  const seenIds = seen.map((e) => e.eventId);
  expect(new Set(seenIds).size).toBe(seenIds.length); // exactly once
  expect(seenIds.length).toBe(committed.size);
  expect(seenIds.every((id) => committed.has(id))).toBe(true);
  expect(seenIds.some((id) => rolledBack.has(id))).toBe(false);
  expect(rolledBack.size).toBeGreaterThan(0);

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
