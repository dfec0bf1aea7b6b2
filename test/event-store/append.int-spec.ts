import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import { EventIdConflictError } from '../../src/event-store/event-id-conflict';
import { anEvent } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

describe('EventStore appends and reads', () => {
  let database: TestDatabase;
  let store: EventStore;
  const commits: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 40 });
    store = new EventStore(database.pool, database.db, { afterCommit: (written) => commits.push(written) });
  });
  afterAll(() => database.drop());

  const countRows = async (eventId: string) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE event_id = ${eventId}`.execute(database.db))
      .rows[0]!.n;

  it('stores every field and returns the stored events in order', async () => {
    const occurredAt = new Date('2026-03-01T14:00:00.123Z');
    const first = anEvent({
      type: 'ThingCreated',
      tags: ['alias:a'],
      data: { n: [1, 2] },
      metadata: { requestId: 'r1' },
      occurredAt,
    });
    const second = anEvent({
      type: 'ThingDeleted',
      schemaVersion: 2,
      tags: ['alias:a', 'key:k'],
      data: ['top-level', 'array'],
    });
    const result = await store.append([first, second]);
    expect(result.written).toBe(2);
    expect(result.events.map((e) => e.eventId)).toEqual([first.eventId, second.eventId]);
    const [a, b] = result.events;
    expect(a).toMatchObject({
      type: 'ThingCreated',
      schemaVersion: 1,
      tags: ['alias:a'],
      data: { n: [1, 2] },
      metadata: { requestId: 'r1' },
    });
    expect(a!.occurredAt.toISOString()).toBe('2026-03-01T14:00:00.123Z');
    expect(b).toMatchObject({ schemaVersion: 2, data: ['top-level', 'array'] });
    expect(a!.transactionId).toBe(b!.transactionId);
    expect(b!.position).toBeGreaterThan(a!.position);
    expect(b!.recordedAt.getTime()).toBeGreaterThanOrEqual(a!.recordedAt.getTime());
    expect(await store.readByTags(['key:k'])).toEqual([b]);
    expect((await store.readByTags(['alias:a', 'nothing'])).map((e) => e.eventId)).toEqual([
      first.eventId,
      second.eventId,
    ]);
  });

  it('is idempotent by event id: a replay returns the stored event and writes nothing', async () => {
    const event = anEvent({ tags: ['idem'], data: { b: 2, a: 1 } });
    const original = await store.append([event]);
    const commitsBefore = commits.length;
    const replay = await store.append([{ ...event, data: { a: 1, b: 2 }, occurredAt: new Date() }]);
    expect(replay.written).toBe(0);
    expect(replay.events).toEqual(original.events);
    expect(commits.length).toBe(commitsBefore);
    expect(await countRows(event.eventId)).toBe(1);
  });

  it('refuses a unit that mixes stored and new ids, and writes none of it', async () => {
    const old = anEvent();
    await store.append([old]);
    const fresh = anEvent();
    await expect(store.append([old, fresh])).rejects.toThrow(/a replay must repeat a whole unit of work/);
    expect(await countRows(fresh.eventId)).toBe(0);
  });

  it('stores hostile text byte for byte', async () => {
    const nasty = [
      `'); DROP TABLE events; --`,
      `\\'\\`,
      `E'\\x00'`,
      '$$ $tag$ ;',
      'ünïcødé 🔑 \u2028',
      '"quoted"',
      '\n\t\r',
    ];
    const event = anEvent({ tags: nasty, data: { nasty, [nasty[0]!]: nasty[1] }, metadata: { userAgent: nasty[2] } });
    const [stored] = (await store.append([event])).events;
    expect(stored).toMatchObject({
      tags: nasty,
      data: { nasty, [nasty[0]!]: nasty[1] },
      metadata: { userAgent: nasty[2] },
    });
    const unit = await store.withConsistency(nasty, async ({ history }) => {
      expect(history.map((e) => e.eventId)).toEqual([event.eventId]);
      return [];
    });
    expect(unit.written).toBe(0);
    expect((await store.readByTags([nasty[0]!]))[0]!.data).toEqual(event.data);
  });

  it('matches event ids case-insensitively, as uuids', async () => {
    const event = anEvent();
    await store.append([event]);
    const replay = await store.append([{ ...event, eventId: event.eventId.toUpperCase() }]);
    expect(replay.written).toBe(0);
    expect(replay.events[0]!.eventId).toBe(event.eventId);
  });

  it('refuses a replayed id with another type or payload, and rolls the whole unit back', async () => {
    const event = anEvent({ data: { v: 1 } });
    await store.append([event]);
    const bystander = anEvent();
    await expect(store.append([bystander, { ...event, data: { v: 2 } }])).rejects.toThrow(EventIdConflictError);
    await expect(store.append([{ ...event, type: 'Other' }])).rejects.toThrow(EventIdConflictError);
    expect(await countRows(bystander.eventId)).toBe(0);
  });

  it('refuses one id twice in one append', async () => {
    const event = anEvent();
    await expect(store.append([event, event])).rejects.toThrow(/twice/);
  });

  it('writes a replayed event once when 32 clients append it at the same time', async () => {
    const event = anEvent({ tags: ['race'] });
    const results = await Promise.all(Array.from({ length: 32 }, () => store.append([event])));
    expect(results.reduce((sum, r) => sum + r.written, 0)).toBe(1);
    expect(new Set(results.map((r) => r.events[0]!.position)).size).toBe(1);
    expect(await countRows(event.eventId)).toBe(1);
  });

  it('appends nothing of a unit whose work throws', async () => {
    const event = anEvent({ tags: ['rollback'] });
    await expect(
      store.withConsistency(['rollback'], async () => {
        if (event) throw new Error('decided against it');
        return [event];
      }),
    ).rejects.toThrow('decided against it');
    expect(await countRows(event.eventId)).toBe(0);
  });

  it('commits concurrent units on different tags together, each with its own events', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.withConsistency([`batch:${i}`], async ({ history }) => {
          expect(history).toEqual([]);
          return [
            anEvent({ tags: [`batch:${i}`], data: { i } }),
            anEvent({ tags: [`batch:${i}`], data: { i, second: true } }),
          ];
        }),
      ),
    );
    results.forEach((result, i) => {
      expect(result.written).toBe(2);
      expect(result.events.map((e) => e.data)).toEqual([{ i }, { i, second: true }]);
      expect(result.events[1]!.position).toBeGreaterThan(result.events[0]!.position);
    });
    const transactions = new Set(results.map((r) => r.events[0]!.transactionId));
    expect(transactions.size).toBeLessThan(40); // group commit happened
    for (let i = 0; i < 40; i++) expect((await store.readByTags([`batch:${i}`])).length).toBe(2);
  });

  it('commits concurrent units on one tag together, each deciding after the ones before it', async () => {
    const decisions = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        store.withConsistency(['hot', `own:${i}`], async ({ history }) => {
          if (i % 10 === 9) throw new Error('decided against it'); // leaves nothing for later units to see
          const onHot = history.filter((e) => e.tags.includes('hot'));
          return [anEvent({ tags: ['hot', `own:${i}`], data: { seq: onHot.length + 1, i } })];
        }),
      ),
    );
    const results = decisions.flatMap((d) => (d.status === 'fulfilled' ? [d.value] : []));
    expect(results).toHaveLength(36);
    // Every unit saw every earlier one, committed or deciding ahead of it in its batch: no sequence
    // number twice, none skipped, in commit order.
    const stored = await store.readByTags(['hot']);
    expect(stored.map((e) => (e.data as { seq: number }).seq)).toEqual(Array.from({ length: 36 }, (_, k) => k + 1));
    const transactions = new Set(results.map((r) => r.events[0]!.transactionId));
    expect(transactions.size).toBeLessThan(36); // units on the hot tag shared commits
  });

  it('lets one unit fail alone when its batch fails in the database', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.withConsistency([`alone:${i}`], async () => [
          anEvent({ tags: [`alone:${i}`], type: i === 7 ? 'bad type' : 'Tested' }),
        ]),
      ),
    );
    outcomes.forEach((outcome, i) => expect(outcome.status).toBe(i === 7 ? 'rejected' : 'fulfilled'));
    expect((outcomes[7] as PromiseRejectedResult).reason.message).toMatch(/check constraint/);
    for (let i = 0; i < 20; i++) expect((await store.readByTags([`alone:${i}`])).length).toBe(i === 7 ? 0 : 1);
  });

  it('answers a replay inside a batch with the stored events, and commits the rest', async () => {
    const replayed = anEvent({ tags: ['replayed'] });
    const original = await store.append([replayed]);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        store.withConsistency([`beside:${i}`], async () => [anEvent({ tags: [`beside:${i}`] })]),
      ),
      store.withConsistency(['replayed'], async () => [replayed]),
    ]);
    expect(results[10]).toEqual({ events: original.events, written: 0 });
    expect(results.slice(0, 10).every((r) => r.written === 1)).toBe(true);
    expect(await countRows(replayed.eventId)).toBe(1);
  });

  it('hands the unit of work the history of its tags, and appends what it returns', async () => {
    await store.append([anEvent({ tags: ['h:1'], data: { n: 1 } }), anEvent({ tags: ['h:2'], data: { n: 2 } })]);
    const seen: unknown[] = [];
    const result = await store.withConsistency(['h:1', 'h:2'], async ({ history }) => {
      seen.push(...history.map((e) => e.data));
      return [anEvent({ tags: ['h:1'], data: { n: 3 } })];
    });
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    expect(result.written).toBe(1);
    expect((await store.readByTags(['h:1'])).map((e) => e.data)).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it('appends nothing and notifies nobody when the work decides nothing', async () => {
    const before = commits.length;
    const result = await store.withConsistency(['quiet'], async () => []);
    expect(result).toEqual({ events: [], written: 0 });
    expect(commits.length).toBe(before);
  });

  it('lets the database reject what the schema forbids', async () => {
    await expect(store.append([anEvent({ type: 'not a type' })])).rejects.toThrow(/check constraint/);
    await expect(store.append([anEvent({ eventId: 'not-a-uuid' })])).rejects.toThrow(/uuid/);
    await expect(store.append([anEvent({ eventId: randomUUID(), schemaVersion: 0 })])).rejects.toThrow(
      /check constraint/,
    );
  });
});
