import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import { checkpointOf } from '../../src/event-store/checkpoint';
import { EventStore } from '../../src/event-store/event-store';
import type { Checkpoint, NewEvent } from '../../src/event-store/event.types';
import { TemporalAliasesReader } from '../../src/projections/temporal/temporal-aliases.reader';
import { type TemporalFixture, startTemporal } from '../support/temporal-fixture';
import { ALIASES, KEYS, REGION, fold, foldAt, historyOf } from './temporal-history';

describe('the temporal projection by log position', () => {
  let fixture: TemporalFixture;
  let store: EventStore;
  let reader: TemporalAliasesReader;
  let database: TemporalFixture['database'];
  let accounts = 0;

  beforeAll(async () => {
    fixture = await startTemporal();
    ({ store, reader, database } = fixture);
  });
  afterAll(() => fixture.close());

  const append = (events: readonly NewEvent[], together: boolean) => fixture.appendApplied(events, together);

  it('answers as of each event as a fold of the log up to that event would', async () => {
    const step = fc.record({
      alias: fc.integer({ min: 0, max: ALIASES.length - 1 }),
      key: fc.integer({ min: 0, max: KEYS.length - 1 }),
      dtMs: fc.integer({ min: 0, max: 3 }),
      remove: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 15 }), fc.boolean(), async (steps, together) => {
        const accountId = String(200000000000 + accounts++);
        const scope = { accountId, region: REGION };
        const events = historyOf(accountId, steps);
        const stored = await append(events, together);
        const cuts = stored.map((event) => ({ through: checkpointOf(event) }));
        for (const [i, cut] of cuts.entries()) {
          const expected = fold(events.slice(0, i + 1));
          const { answer: all } = await reader.aliasesAt(scope, cut, { limit: 100 });
          expect(new Map(all.map((v) => [v.aliasName, v.keyId]))).toEqual(expected);
          for (const aliasName of ALIASES)
            expect((await reader.aliasAt(scope, aliasName, cut)).answer?.keyId).toBe(expected.get(aliasName));
          for (const keyId of KEYS)
            expect((await reader.keyAliasesAt(scope, keyId, cut)).answer.map((v) => v.aliasName)).toEqual(
              [...expected]
                .filter(([, k]) => k === keyId)
                .map(([name]) => name)
                .sort(),
            );
        }
        // Diffs between positions, and between a time and a position.
        const firstTime = events[0]!.occurredAt.getTime() - 1;
        for (const [i, j] of cuts.flatMap((_, a) => [0, cuts.length - 1].map((b) => [a, b] as const))) {
          const [before, after] = [fold(events.slice(0, i + 1)), fold(events.slice(0, j + 1))];
          const changed = (b: Map<string, string>, a: Map<string, string>) =>
            ALIASES.filter((name) => b.get(name) !== a.get(name)).map((aliasName) => ({
              aliasName,
              before: b.get(aliasName) ?? null,
              after: a.get(aliasName) ?? null,
            }));
          expect((await reader.diff(scope, cuts[i]!, cuts[j]!)).answer).toEqual(changed(before, after));
          expect((await reader.diff(scope, new Date(firstTime), cuts[j]!)).answer).toEqual(
            changed(foldAt(events, firstTime), after),
          );
        }
      }),
      { numRuns: 15 },
    );
  });

  it('follows log order (transaction id, position), not bare positions, when a transaction commits an older position late', async () => {
    const accountId = '300000000001';
    const aliasEvent = (aliasName: string) => ({
      event_id: randomUUID(),
      data: JSON.stringify({ accountId, region: REGION, aliasName, keyId: 'k-0' }),
      tags: [`alias:${accountId}:${REGION}:${aliasName}`],
    });
    const insert = `INSERT INTO events (event_id, type, tags, data, occurred_at)
                    VALUES ($1, 'AliasCreated', $2, $3, now()) RETURNING position, transaction_id::text`;
    const early = await database.pool.connect();
    const late = await database.pool.connect();
    try {
      // `early` takes its transaction id first, but inserts only after `late` has inserted and committed.
      await early.query('BEGIN');
      await early.query('SELECT pg_current_xact_id()');
      const x = aliasEvent('alias/x');
      const lateRow = (await late.query(insert, [x.event_id, x.tags, x.data])).rows[0];
      const y = aliasEvent('alias/y');
      const earlyRow = (await early.query(insert, [y.event_id, y.tags, y.data])).rows[0];
      await early.query('COMMIT');
      const [atX, atY] = [lateRow, earlyRow].map((row) => ({
        transactionId: BigInt(row.transaction_id),
        position: BigInt(row.position),
      }));
      // x has the smaller position, but y comes first in log order.
      expect(atX!.position).toBeLessThan(atY!.position);
      expect(atX!.transactionId).toBeGreaterThan(atY!.transactionId);
      await fixture.applied(atX!);
      const names = async (through: Checkpoint) =>
        (await reader.aliasesAt({ accountId, region: REGION }, { through }, { limit: 10 })).answer.map(
          (v) => v.aliasName,
        );
      expect(await names(atY!)).toEqual(['alias/y']);
      expect(await names(atX!)).toEqual(['alias/x', 'alias/y']);
      expect(await reader.lookUpPosition(atX!.position)).toEqual({ found: atX });
    } finally {
      early.release();
      late.release();
    }
  });

  it('tells a position beyond the log head from one no committed event has', async () => {
    const client = await database.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `INSERT INTO events (event_id, type, data, occurred_at) VALUES ($1, 'Tested', '{}', now()) RETURNING position`,
        [randomUUID()],
      );
      await client.query('ROLLBACK');
      const burnt = BigInt(rows[0].position);
      const stored = (
        await store.append([{ eventId: randomUUID(), type: 'Tested', tags: [], data: {}, occurredAt: new Date() }])
      ).events[0]!;
      expect(await reader.lookUpPosition(burnt)).toEqual({ missing: 'no-event', head: stored.position });
      expect(await reader.lookUpPosition(stored.position + 1n)).toEqual({
        missing: 'beyond-head',
        head: stored.position,
      });
    } finally {
      client.release();
    }
  });
});
