import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { checkpointOf } from '../../src/event-store/checkpoint';
import { EventStore } from '../../src/event-store/event-store';
import { setEventTimeCap } from '../../src/event-store/event-time-cap';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { isFinal } from '../../src/projections/temporal/stable-horizon';
import { TemporalAliasesProjection } from '../../src/projections/temporal/temporal-aliases.projection';
import { TemporalAliasesReader } from '../../src/projections/temporal/temporal-aliases.reader';
import { eventually, sleep } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const CAP_MS = 1000;
const REGION = 'eu-west-1';

/** The transaction-time cap and what it buys: answers "at T" that, once called final, never change. */
describe('answers about times older than the transaction-time cap', () => {
  let database: TestDatabase;
  let store: EventStore;
  let reader: TemporalAliasesReader;
  let runner: ProjectionRunner;
  let accounts = 0;

  const startRunner = async () => {
    runner = new ProjectionRunner(store, database.db, undefined, new TemporalAliasesProjection(), {
      pollIntervalMs: 10,
    });
    await runner.start();
  };

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 8 });
    store = new EventStore(database.pool, database.db);
    reader = new TemporalAliasesReader(database.db);
    await setEventTimeCap(database.db, CAP_MS);
    await startRunner();
  });
  afterAll(async () => {
    await runner.stop();
    await database.drop();
  });

  const aliasCreated = (accountId: string, aliasName: string) => [
    randomUUID(),
    [`alias:${accountId}:${REGION}:${aliasName}`],
    JSON.stringify({ accountId, region: REGION, aliasName, keyId: 'k-0' }),
  ];
  const INSERT = `INSERT INTO events (event_id, type, tags, data, occurred_at) VALUES ($1, 'AliasCreated', $2, $3, $4)`;

  /**
   * A writer that read its clock (`occurredAt`) and commits `holdMs` later, stalling before its insert
   * (it has no transaction id until then, so nothing shows it is in flight) or after it. Says whether
   * the commit went through.
   */
  async function slowWriter(
    accountId: string,
    aliasName: string,
    occurredAt: Date,
    holdMs: number,
    stall: 'before-insert' | 'after-insert' = 'before-insert',
  ) {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('BEGIN');
      if (stall === 'before-insert') await sleep(holdMs);
      await client.query(INSERT, [...aliasCreated(accountId, aliasName), occurredAt]);
      if (stall === 'after-insert') await sleep(holdMs);
      await client.query('COMMIT');
      return { aliasName, occurredAt, committed: true as const };
    } catch (error) {
      expect((error as { code?: string }).code).toBe('23514');
      expect((error as Error).message).toMatch(/older than the transaction-time cap/);
      return { aliasName, occurredAt, committed: false as const };
    } finally {
      await client.end();
    }
  }

  /** Appends a marker event and waits until the projection has applied it (and all before it). */
  const caughtUp = async () => {
    const marker = { eventId: randomUUID(), type: 'Tested', tags: [], data: {}, occurredAt: new Date() };
    const head = checkpointOf((await store.append([marker])).events[0]!);
    expect((await reader.waitFor(head, 10_000)).reached).toBe(true);
  };

  const namesAt = async (accountId: string, at: Date) => {
    const { answer, view } = await reader.aliasesAt({ accountId, region: REGION }, at, { limit: 100 });
    return {
      names: answer.map((v) => v.aliasName),
      final: isFinal(at, view.finalBefore),
      finalBefore: view.finalBefore,
      readAt: Date.now(),
    };
  };

  it('rejects at commit an event older than the cap, however quickly it was inserted', async () => {
    const accountId = String(400000000000 + accounts++);
    const stalled = await slowWriter(accountId, 'alias/stalled', new Date(), CAP_MS + 300, 'after-insert');
    expect(stalled.committed).toBe(false);
    const backdated = await slowWriter(accountId, 'alias/backdated', new Date(Date.now() - CAP_MS - 500), 0);
    expect(backdated.committed).toBe(false);
    // Future event times are fine (the controllable clock only moves business time forward).
    const future = await slowWriter(accountId, 'alias/future', new Date(Date.now() + 86_400_000), CAP_MS + 300);
    expect(future.committed).toBe(true);
    // Through the event store: a unit that reads the clock, then stalls past the cap before appending.
    const unit = store.withConsistency([`alias:${accountId}:${REGION}:alias/unit`], async () => {
      const occurredAt = new Date();
      await sleep(CAP_MS + 200);
      return [{ eventId: randomUUID(), type: 'Tested', tags: [], data: {}, occurredAt }];
    });
    await expect(unit).rejects.toMatchObject({ code: '23514' });
  });

  it('never changes an answer once it was called final, while slow transactions commit around T', async () => {
    const accountId = String(400000000000 + accounts++);
    const T = new Date(Date.now() + 600);
    const at = (deltaMs: number) => new Date(T.getTime() + deltaMs);
    const writers = [
      // Before T in event time, committed after T (within the cap): the answer at T changes.
      sleep(300).then(() => slowWriter(accountId, 'alias/late-but-capped', at(-200), 600)),
      // Before T, committed more than the cap after its event time: rejected.
      sleep(300).then(() => slowWriter(accountId, 'alias/too-late', at(-100), 2000)),
      // After T: never part of the answer.
      sleep(500).then(() => slowWriter(accountId, 'alias/after-t', at(50), 300)),
      ...Array.from({ length: 8 }, (_, i) =>
        sleep(Math.random() * 1200).then(() =>
          slowWriter(
            accountId,
            `alias/random-${i}`,
            at(Math.random() * 800 - 400),
            Math.random() * 1500,
            i % 2 ? 'before-insert' : 'after-insert',
          ),
        ),
      ),
    ];
    // Unrelated appends keep transactions running, so snapshots rarely see none in flight.
    let busy = true;
    const noise = (async () => {
      for (let i = 0; busy; i++) {
        await store.append([{ eventId: randomUUID(), type: 'Tested', tags: [], data: {}, occurredAt: new Date() }]);
        await sleep(5);
      }
    })();
    const answers: Awaited<ReturnType<typeof namesAt>>[] = [];
    let settled = false;
    void Promise.all(writers).then(() => (settled = true));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (!settled || answers.filter((a) => a.final).length < 20)) {
      answers.push(await namesAt(accountId, T));
      await sleep(10);
    }
    busy = false;
    await noise;
    const outcomes = await Promise.all(writers);

    const firstFinal = answers.findIndex((answer) => answer.final);
    expect(firstFinal).toBeGreaterThan(0);
    for (const answer of answers.slice(firstFinal)) expect(answer.names).toEqual(answers[firstFinal]!.names);
    // The final answer is the truth: every committed event of time <= T, and nothing else.
    const truth = outcomes.filter((o) => o.committed && o.occurredAt <= T).map((o) => o.aliasName);
    expect(answers[firstFinal]!.names).toEqual(truth.sort());
    // Final only once the cap had passed since T, and the test exercised what it claims to.
    for (const answer of answers.filter((a) => a.final)) expect(answer.readAt).toBeGreaterThan(T.getTime() + CAP_MS);
    expect(outcomes.find((o) => o.aliasName === 'alias/late-but-capped')?.committed).toBe(true);
    expect(outcomes.find((o) => o.aliasName === 'alias/too-late')?.committed).toBe(false);
    expect(answers.some((answer) => !answer.names.includes('alias/late-but-capped'))).toBe(true);
  });

  it('calls nothing final while an old enough event is committed but not yet applied', async () => {
    const accountId = String(400000000000 + accounts++);
    await caughtUp();
    await runner.stop();
    const occurredAt = new Date(Date.now() - CAP_MS / 4);
    const written = await slowWriter(accountId, 'alias/unapplied', occurredAt, 0);
    expect(written.committed).toBe(true);
    // Readers keep asking while the cap passes. xids are cluster-wide, so other databases' transactions
    // can hold a snapshot's horizon back for a while: only a settled moment is enough, not every one.
    const before: Awaited<ReturnType<typeof namesAt>>[] = [];
    const held = await eventually(async () => {
      before.push(await namesAt(accountId, occurredAt));
      return before.at(-1)!.finalBefore?.getTime() === occurredAt.getTime();
    }, 10_000);
    expect(held).toBe(true);
    // The time part alone would have allowed it: only the unapplied event holds the horizon back.
    for (const answer of before) expect(answer).toMatchObject({ names: [], final: false });
    expect(await namesAt(accountId, new Date(occurredAt.getTime() - 1))).toMatchObject({ final: true });
    await startRunner();
    await caughtUp();
    expect(await namesAt(accountId, occurredAt)).toMatchObject({ names: ['alias/unapplied'], final: true });
  });

  it('calls nothing final when the cap is off', async () => {
    await setEventTimeCap(database.db, undefined);
    try {
      expect(await namesAt('400000000099', new Date(Date.now() - 3_600_000))).toMatchObject({ final: false });
    } finally {
      await setEventTimeCap(database.db, CAP_MS);
    }
  });
});
