import { type Transaction, sql } from 'kysely';
import type { Database } from '../../src/database/database.types';
import { EventStore } from '../../src/event-store/event-store';
import type { StoredEvent } from '../../src/event-store/event.types';
import type { Projection } from '../../src/projections/projection';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { anEvent } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/** Records every event it is given in `seen`; while `broken`, fails on Poison events after writing. */
class Recorder implements Projection {
  readonly tables = ['seen'];
  broken = true;
  constructor(readonly name: string) {}

  async apply(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
    for (const event of events) {
      await sql`INSERT INTO seen (projection, position, type) VALUES (${this.name}, ${event.position.toString()}, ${event.type})`.execute(
        trx,
      );
      if (this.broken && event.type === 'Poison') throw new Error('cannot digest poison');
    }
  }
}

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await probe();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('ProjectionRunner', () => {
  let database: TestDatabase;
  let store: EventStore;
  const runners: ProjectionRunner[] = [];
  const run = async (projection: Projection) => {
    const runner = new ProjectionRunner(store, database.db, undefined, projection, {
      pollIntervalMs: 20,
      batchSize: 50,
    });
    runners.push(runner);
    return runner.start();
  };
  const seen = async (name: string) =>
    (
      await sql<{ position: string; type: string }>`
        SELECT position::text, type FROM seen WHERE projection = ${name} ORDER BY position`.execute(database.db)
    ).rows;
  const checkpointRow = async (name: string) =>
    (
      await sql<{ position: string; events_applied: string; failed_position: string | null; failure: string | null }>`
        SELECT position::text, events_applied::text, failed_position::text, failure
          FROM projection_checkpoints WHERE name = ${name}`.execute(database.db)
    ).rows[0];

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 30 });
    store = new EventStore(database.pool, database.db);
    // Unique: an event applied twice would fail the projection, and the test would see it.
    await sql`CREATE TABLE seen (projection text, position bigint, type text, PRIMARY KEY (projection, position))`.execute(
      database.db,
    );
  });
  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await database.drop();
  });

  it('applies every event exactly once when two instances run the same projection during appends', async () => {
    const first = new Recorder('twice');
    const second = new Recorder('twice');
    await Promise.all([run(first), run(second)]);
    const appended = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.append(Array.from({ length: 10 }, (_, j) => anEvent({ tags: [`w:${i}`], data: { j } }))),
      ),
    );
    const positions = appended.flatMap((result) => result.events.map((event) => event.position.toString()));
    const rows = await eventually(
      () => seen('twice'),
      (r) => r.length >= 300,
      '300 events',
    );
    expect(rows.map((r) => r.position).sort()).toEqual([...positions].sort());
    expect((await checkpointRow('twice'))!.events_applied).toBe('300');
  });

  it('stops on the failing event, names it, keeps its writes out, and resumes after a fix without skipping', async () => {
    const projection = new Recorder('picky');
    const before = await store.append([anEvent({ type: 'Fine' }), anEvent({ type: 'Fine' })]);
    const poison = (await store.append([anEvent({ type: 'Poison' })])).events[0]!;
    const after = await store.append([anEvent({ type: 'Fine' })]);
    const subscription = await run(projection);

    const failed = await eventually(
      () => checkpointRow('picky'),
      (row) => row?.failed_position !== null && row?.failed_position !== undefined,
      'the failure to be recorded',
    );
    expect(failed).toMatchObject({ failed_position: poison.position.toString(), failure: 'cannot digest poison' });
    expect(subscription.status.lastError).toContain(`failed on event ${poison.position} (Poison ${poison.eventId})`);
    // Everything before the poison is applied and checkpointed; the poison's own write rolled back.
    const applied = (await seen('picky')).map((r) => r.position);
    expect(applied).toEqual(expect.arrayContaining(before.events.map((e) => e.position.toString())));
    expect(applied).not.toContain(poison.position.toString());
    expect(applied).not.toContain(after.events[0]!.position.toString());
    expect(BigInt(failed!.position)).toBeLessThan(poison.position);

    await store.append([anEvent({ type: 'Fine' })]); // appends do not push it past the poison
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await seen('picky')).map((r) => r.position)).not.toContain(poison.position.toString());

    projection.broken = false; // the fix
    const healed = await eventually(
      () => checkpointRow('picky'),
      (row) => row?.failed_position === null && BigInt(row.position) >= after.events[0]!.position,
      'recovery',
    );
    expect(healed!.failure).toBeNull();
    const all = (await seen('picky')).map((r) => BigInt(r.position));
    expect(all).toContain(poison.position);
    expect(all).toContain(after.events[0]!.position);
    // The runner clears its error once the batch's transaction has returned, a moment after the
    // checkpoint row above was committed by it (seen on a loaded CI machine).
    const cleared = await eventually(
      async () => subscription.status.lastError,
      (error) => error === undefined,
      'the error to clear',
    );
    expect(cleared).toBeUndefined();
  });
});
