import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import { AuditEventsProjection } from '../../src/projections/audit/audit-events.projection';
import type { Projection } from '../../src/projections/projection';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { CURRENT_TABLES, CurrentRebuildTarget } from '../../src/projections/rebuild/current-rebuild-target';
import { startRebuild } from '../../src/projections/rebuild/projection-rebuild';
import type { RebuildProgress } from '../../src/projections/rebuild/rebuild-progress';
import { RebuildInProgress } from '../../src/projections/rebuild/rebuild-lock';
import { latestRun } from '../../src/projections/rebuild/rebuild-runs';
import type { RebuildTarget } from '../../src/projections/rebuild/rebuild-target';
import { RunnerRebuildTarget } from '../../src/projections/rebuild/runner-rebuild-target';
import { TEMPORAL_TABLES, TemporalAliasesProjection } from '../../src/projections/temporal/temporal-aliases.projection';
import { dumpTable, foldCurrent, foldTemporal, namesOf } from '../support/rebuild-folds';
import { kmsHistory } from '../support/rebuild-history';
import { waitForProjections, wholeLog } from '../support/rebuild-log';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const dumps = {
  temporal: (db: TestDatabase['db']) =>
    Promise.all([
      dumpTable(db, 'temporal_alias_ids', 'alias_id'),
      dumpTable(db, 'temporal_alias_versions', 'alias_id, version'),
    ]),
  audit: (db: TestDatabase['db']) => Promise.all([dumpTable(db, 'audit_events', 'seq')]),
  current: (db: TestDatabase['db']) =>
    Promise.all([
      dumpTable(db, 'kms_keys', 'account_id, region, key_id'),
      dumpTable(db, 'kms_aliases', 'account_id, region, alias_name'),
    ]),
};

const eventCount = async (db: TestDatabase['db']) =>
  Number((await sql<{ count: string }>`SELECT count(*) AS count FROM events`.execute(db)).rows[0]!.count);

describe('rebuilding a projection', () => {
  let database: TestDatabase;
  let store: EventStore;
  const runners: ProjectionRunner[] = [];

  const caughtUp = () => waitForProjections(database.db, ['temporal', 'audit']);
  const runnerTarget = (projection: Projection) => new RunnerRebuildTarget(store, projection);
  const cases = {
    temporal: () => ({ tables: TEMPORAL_TABLES, target: runnerTarget(new TemporalAliasesProjection()) }),
    audit: () => ({ tables: ['audit_events'], target: runnerTarget(new AuditEventsProjection()) }),
    current: () => ({ tables: CURRENT_TABLES, target: new CurrentRebuildTarget() }),
  };

  const rebuild = async (target: RebuildTarget, batchSize: number, load: boolean) => {
    const progress: RebuildProgress[] = [];
    const { finished } = await startRebuild({ db: database.db, store }, target, {
      batchSize,
      load,
      onProgress: (p) => progress.push(p),
    });
    return { done: await finished, progress };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 12 });
    store = new EventStore(database.pool, database.db);
    // Small batches, so that the live projections are built in other slices than the rebuild's.
    for (const projection of [new TemporalAliasesProjection(), new AuditEventsProjection()]) {
      const runner = new ProjectionRunner(store, database.db, undefined, projection, {
        pollIntervalMs: 10,
        batchSize: 7,
      });
      runners.push(runner);
      await runner.start();
    }
    for (const [i, seed] of [11, 12, 13].entries()) {
      const units = kmsHistory({ seed, units: 1200, accountId: String(300000000000 + i), aliasNames: 60 });
      for (let u = 0; u < units.length; u += 40) await store.append(units.slice(u, u + 40).flat());
    }
    await caughtUp();
  });
  afterAll(async () => {
    for (const runner of runners) await runner.stop();
    await database.drop();
  });

  it.each([
    ['temporal', 500, 'replayed'],
    ['temporal', 500, 'loaded'],
    ['audit', 400, 'replayed'],
    ['audit', 400, 'loaded'],
    ['current', 700, 'replayed'],
    ['current', 700, 'loaded'],
  ] as const)(
    '%s (%s): the rebuilt tables equal the incrementally built ones, row for row, names and all',
    async (name, batch, how) => {
      const { tables, target } = cases[name]();
      const before = await dumps[name](database.db);
      const names = await namesOf(database.db, tables);
      const oids = await sql<{ oid: number }>`SELECT ${tables[0]}::regclass::oid AS oid`.execute(database.db);
      expect(before[before.length - 1]!.length).toBeGreaterThan(100);

      const { done, progress } = await rebuild(target, batch, how === 'loaded');

      expect(done).toMatchObject({ status: 'done', phase: 'swapped', projection: name });
      expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['replaying', 'indexing', 'swapping']));
      if (how === 'replayed') {
        expect(progress.some((p) => p.phase === 'loading')).toBe(false);
        expect(progress.filter((p) => p.phase === 'replaying').length).toBeGreaterThan(3); // several batches
      } else {
        expect(progress.find((p) => p.phase === 'loading')).toBeDefined();
        expect(done.eventsDone).toBe(await eventCount(database.db));
      }
      // New tables (not the old ones refilled), with the same contents and the same names throughout.
      const after = await sql<{ oid: number }>`SELECT ${tables[0]}::regclass::oid AS oid`.execute(database.db);
      expect(after.rows[0]!.oid).not.toBe(oids.rows[0]!.oid);
      if (name !== 'current') await caughtUp();
      expect(await dumps[name](database.db)).toEqual(before);
      expect(await namesOf(database.db, tables)).toEqual(names);
      const schemas = await sql`SELECT 1 FROM pg_namespace WHERE nspname LIKE 'rebuild\\_%'`.execute(database.db);
      expect(schemas.rows).toHaveLength(0);
      expect(await latestRun(database.db, name)).toMatchObject({ status: 'done', eventsDone: done.eventsDone });
    },
  );

  it('replays what an independent fold of the log says, and the alias ids go on from there', async () => {
    const log = await wholeLog(store, database.db);
    const temporal = foldTemporal(log);
    const current = foldCurrent(log);
    expect(await dumps.temporal(database.db)).toEqual([temporal.ids, temporal.versions]);
    expect(await dumps.current(database.db)).toEqual([current.keys, current.aliases]);
    // The identity sequence came along (under its own name) and continues after the last id.
    const units = kmsHistory({ seed: 99, units: 30, accountId: '399999999999' });
    await store.append(units.flat());
    await caughtUp();
    const ids = await dumpTable(database.db, 'temporal_alias_ids', 'alias_id');
    expect(ids.map((r) => r.alias_id)).toEqual(ids.map((_, i) => i + 1));
  });

  it('runs one rebuild of a projection at a time, and a failed one leaves the live model as it was', async () => {
    const before = await dumps.current(database.db);
    const abort = new AbortController();
    const first = await startRebuild({ db: database.db, store }, new CurrentRebuildTarget(), {
      batchSize: 100,
      signal: abort.signal,
      onProgress: (p) => p.eventsDone > 300 && abort.abort(),
    });
    await expect(startRebuild({ db: database.db, store }, new CurrentRebuildTarget())).rejects.toBeInstanceOf(
      RebuildInProgress,
    );
    await expect(first.finished).rejects.toThrow(/aborted/);
    expect(await latestRun(database.db, 'current')).toMatchObject({ status: 'failed', rebuildId: first.rebuildId });
    expect(await dumps.current(database.db)).toEqual(before);
    const schemas = await sql`SELECT 1 FROM pg_namespace WHERE nspname = 'rebuild_current'`.execute(database.db);
    expect(schemas.rows).toHaveLength(0);
  });
});
