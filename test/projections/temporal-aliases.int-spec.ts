import * as fc from 'fast-check';
import type { NewEvent } from '../../src/event-store/event.types';
import { createKysely, createPool } from '../../src/database/create-database';
import { TemporalAliasesReader } from '../../src/projections/temporal/temporal-aliases.reader';
import { type TemporalFixture, startTemporal } from '../support/temporal-fixture';
import { ALIASES, BASE, KEYS, REGION, foldAt, historyOf } from './temporal-history';

describe('the temporal projection', () => {
  let fixture: TemporalFixture;
  let reader: TemporalAliasesReader;
  let accounts = 0;

  beforeAll(async () => {
    fixture = await startTemporal();
    ({ reader } = fixture);
  });
  afterAll(() => fixture.close());

  const append = (events: readonly NewEvent[], together = false) => fixture.appendApplied(events, together);

  it('answers every as-of question and every diff as from-scratch folds of the events up to T would', async () => {
    const step = fc.record({
      alias: fc.integer({ min: 0, max: ALIASES.length - 1 }),
      key: fc.integer({ min: 0, max: KEYS.length - 1 }),
      dtMs: fc.integer({ min: 0, max: 3 }),
      remove: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), fc.boolean(), async (steps, together) => {
        const accountId = String(100000000000 + accounts++);
        const scope = { accountId, region: REGION };
        const events = historyOf(accountId, steps);
        await append(events, together);
        const times = [...new Set(events.flatMap((e) => [-1, 0, 1].map((d) => e.occurredAt.getTime() + d)))];
        for (const at of times) {
          const expected = foldAt(events, at);
          const { answer: all } = await reader.aliasesAt(scope, new Date(at), { limit: 100 });
          expect(new Map(all.map((v) => [v.aliasName, v.keyId]))).toEqual(expected);
          for (const aliasName of ALIASES)
            expect((await reader.aliasAt(scope, aliasName, new Date(at))).answer?.keyId).toBe(expected.get(aliasName));
          for (const keyId of KEYS) {
            const onKey = (await reader.keyAliasesAt(scope, keyId, new Date(at))).answer.map((v) => v.aliasName);
            expect(onKey).toEqual(
              [...expected]
                .filter(([, k]) => k === keyId)
                .map(([name]) => name)
                .sort(),
            );
          }
        }
        // "What changed between T1 and T2": every alias whose target differs between the two folds.
        for (const [t1, t2] of times.flatMap((a) => times.slice(0, 4).map((b) => [a, b] as const))) {
          const [before, after] = [foldAt(events, t1), foldAt(events, t2)];
          const changed = ALIASES.filter((name) => before.get(name) !== after.get(name)).map((aliasName) => ({
            aliasName,
            before: before.get(aliasName) ?? null,
            after: after.get(aliasName) ?? null,
          }));
          expect((await reader.diff(scope, new Date(t1), new Date(t2))).answer).toEqual(changed);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('keeps every version of an alias with who began and ended it, across deletion and re-creation', async () => {
    const events = historyOf('999988887777', [
      { alias: 0, key: 0, dtMs: 0, remove: false },
      { alias: 0, key: 1, dtMs: 5, remove: false },
      { alias: 0, key: 1, dtMs: 5, remove: true },
      { alias: 0, key: 2, dtMs: 5, remove: false },
    ]);
    await append(events);
    const { answer: versions } = await reader.history({ accountId: '999988887777', region: REGION }, 'alias/a');
    expect(
      versions.map((v) => [
        v.version,
        v.keyId,
        v.validFrom!.getTime() - BASE,
        v.validTo && v.validTo.getTime() - BASE,
        v.endedReason,
      ]),
    ).toEqual([
      [1, 'k-0', 0, 5, 'retargeted'],
      [2, 'k-1', 5, 10, 'deleted'],
      [3, 'k-2', 15, undefined, undefined],
    ]);
    expect(versions[0]!.startedBy).toMatchObject({
      eventType: 'AliasCreated',
      eventId: events[0]!.eventId,
      requestId: `r-${BASE}-0`,
    });
    expect(versions[1]!.endedBy).toMatchObject({ eventType: 'AliasDeleted', eventId: events[2]!.eventId });
  });

  it('plans each reader statement once per connection, not at every execution (and says the same)', async () => {
    const events = historyOf('999988887778', [
      { alias: 0, key: 0, dtMs: 0, remove: false },
      { alias: 0, key: 1, dtMs: 5, remove: false },
    ]);
    await append(events);
    const scope = { accountId: '999988887778', region: REGION };
    // One connection, so the prepared statements' counters are the ones it kept.
    // One connection, configured as the service's GENERIC_PLAN_POOL is (database.module.ts).
    const pool = createPool(fixture.database.url, {
      max: 1,
      idleTransactionTimeoutMs: 60_000,
      planCacheMode: 'force_generic_plan',
    });
    const prepared = new TemporalAliasesReader(createKysely(pool), pool);
    try {
      for (let t = -2; t < 40; t++) {
        const expected = foldAt(events, BASE + t).get('alias/a');
        expect((await prepared.aliasAt(scope, 'alias/a', new Date(BASE + t))).answer?.keyId).toBe(expected);
      }
      const { rows } = await pool.query<{ generic_plans: string; custom_plans: string }>(
        "SELECT generic_plans::text, custom_plans::text FROM pg_prepared_statements WHERE name LIKE 'temporal-%'",
      );
      // Left to choose, the server planned some executions afresh (3x the statement's own time).
      expect(rows).toEqual([{ generic_plans: '42', custom_plans: '0' }]);
      // The setting is that pool's alone: the main pool's sessions keep choosing, for every query.
      const { rows: main } = await fixture.database.pool.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode');
      expect(main).toEqual([{ plan_cache_mode: 'auto' }]);
    } finally {
      await pool.end();
    }
  });
});
