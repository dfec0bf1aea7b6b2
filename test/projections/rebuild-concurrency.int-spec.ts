import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/database/database.types';
import { EventStore } from '../../src/event-store/event-store';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { CURRENT_TABLES, CurrentRebuildTarget } from '../../src/projections/rebuild/current-rebuild-target';
import { startRebuild } from '../../src/projections/rebuild/projection-rebuild';
import { lockProjectionForRead } from '../../src/projections/rebuild/projection-read-lock';
import { RunnerRebuildTarget } from '../../src/projections/rebuild/runner-rebuild-target';
import { TEMPORAL_TABLES, TemporalAliasesProjection } from '../../src/projections/temporal/temporal-aliases.projection';
import { sleep } from '../support/events';
import { dumpTable, foldCurrent, foldTemporal } from '../support/rebuild-folds';
import { kmsHistory } from '../support/rebuild-history';
import { waitForProjections, wholeLog } from '../support/rebuild-log';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const ALIAS_TYPES = sql.raw(`('AliasCreated', 'AliasRetargeted', 'AliasDeleted')`);

/**
 * One snapshot of `temporal` against the log in the same snapshot: the versions, open versions and
 * alias ids the events up to the projection's checkpoint call for. Any half-built or empty table
 * (or one from another snapshot than the checkpoint) shows as a difference. As one READ COMMITTED
 * statement (as each TemporalAliasesReader method reads: runSnapshotStatement), or in a REPEATABLE READ
 * transaction that locks first.
 */
async function temporalDiffers(db: Kysely<Database>, snapshot: boolean): Promise<string | undefined> {
  if (snapshot)
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await lockProjectionForRead(trx, TEMPORAL_TABLES);
        return temporalDiffers(trx, false);
      });
  const { rows } = await sql<Record<string, number>>`
        WITH c AS (SELECT transaction_id, position FROM projection_checkpoints WHERE name = 'temporal'),
             e AS (SELECT e.* FROM events e, c WHERE e.type IN ${ALIAS_TYPES}
                      AND (e.transaction_id, e.position) <= (c.transaction_id, c.position))
        SELECT (SELECT count(*) FROM temporal_alias_versions)::int AS versions,
               (SELECT count(*) FROM e WHERE type <> 'AliasDeleted')::int AS expected_versions,
               (SELECT count(*) FROM temporal_alias_versions WHERE valid_to IS NULL)::int AS open,
               (SELECT count(*) FILTER (WHERE type = 'AliasCreated') - count(*) FILTER (WHERE type = 'AliasDeleted') FROM e)::int AS expected_open,
               (SELECT count(*) FROM temporal_alias_ids)::int AS ids,
               (SELECT count(DISTINCT (data->>'accountId', data->>'region', data->>'aliasName')) FROM e)::int AS expected_ids`.execute(
    db,
  );
  const r = rows[0]!;
  const ok = r.versions === r.expected_versions && r.open === r.expected_open && r.ids === r.expected_ids;
  return ok ? undefined : `temporal: ${JSON.stringify(r)}`;
}

/**
 * The inline model equals the log in one snapshot: one READ COMMITTED statement (which needs no
 * read lock), or a REPEATABLE READ transaction that locks first.
 */
async function currentDiffers(db: Kysely<Database>, snapshot: boolean): Promise<string | undefined> {
  if (snapshot)
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await lockProjectionForRead(trx, CURRENT_TABLES);
        return currentDiffers(trx, false);
      });
  const { rows } = await sql<Record<string, number>>`
    SELECT (SELECT count(*) FROM kms_keys)::int AS keys,
           (SELECT count(*) FILTER (WHERE type = 'KeyCreated') - count(*) FILTER (WHERE type = 'KeyDeleted') FROM events)::int AS expected_keys,
           (SELECT count(*) FROM kms_aliases)::int AS aliases,
           (SELECT count(*) FILTER (WHERE type = 'AliasCreated') - count(*) FILTER (WHERE type = 'AliasDeleted') FROM events)::int AS expected_aliases`.execute(
    db,
  );
  const r = rows[0]!;
  return r.keys === r.expected_keys && r.aliases === r.expected_aliases ? undefined : `current: ${JSON.stringify(r)}`;
}

describe('a rebuild while writers append and readers read', () => {
  let database: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 24 });
    store = new EventStore(database.pool, database.db, { writeConcurrency: 4 });
    runner = new ProjectionRunner(store, database.db, undefined, new TemporalAliasesProjection(), {
      pollIntervalMs: 10,
      batchSize: 100,
    });
    await runner.start();
    for (let i = 0; i < 3; i++) {
      const units = kmsHistory({ seed: 40 + i, units: 1500, accountId: String(600000000000 + i) });
      for (let u = 0; u < units.length; u += 100) await store.append(units.slice(u, u + 100).flat());
    }
  });
  afterAll(async () => {
    await runner.stop();
    await database.drop();
  });

  it('serves whole models throughout, and after the swap the live projections equal a fold from scratch', async () => {
    let stopped = false;
    const problems: string[] = [];
    const checks = { temporal: 0, current: 0 };
    const read = async (name: keyof typeof checks, differs: () => Promise<string | undefined>) => {
      for (; !stopped; checks[name]++) {
        const problem = await differs();
        if (problem) problems.push(problem);
      }
    };
    const readers = [
      read('temporal', () => temporalDiffers(database.db, true)),
      read('temporal', () => temporalDiffers(database.db, false)),
      read('current', () => currentDiffers(database.db, false)),
      read('current', () => currentDiffers(database.db, true)),
    ];
    // Each writer appends its own account's history, one unit per transaction, as clients would.
    const written = [0, 1, 2, 3].map((i) =>
      kmsHistory({ seed: 70 + i, units: 300, accountId: String(610000000000 + i) }),
    );
    const writers = written.map(async (units) => {
      for (const unit of units) {
        await store.append(unit);
        if (Math.random() < 0.3) await sleep(1);
      }
    });
    await sleep(200);
    const progress = { temporal: [] as string[], current: [] as string[] };
    const rebuilds = await Promise.all([
      startRebuild({ db: database.db, store }, new RunnerRebuildTarget(store, new TemporalAliasesProjection()), {
        batchSize: 1000,
        onProgress: (p) => progress.temporal.push(p.phase),
      }),
      startRebuild({ db: database.db, store }, new CurrentRebuildTarget(), {
        batchSize: 1000,
        onProgress: (p) => progress.current.push(p.phase),
      }),
    ]);
    const checksAtStart = { ...checks };
    const done = await Promise.all(rebuilds.map((r) => r.finished));
    await Promise.all(writers);
    await sleep(100);
    stopped = true;
    await Promise.all(readers);

    expect(problems).toEqual([]);
    expect(done.map((d) => d.status)).toEqual(['done', 'done']);
    expect(progress.temporal).toContain('swapping');
    // Readers ran while the rebuilds did.
    expect(checks.temporal).toBeGreaterThan(checksAtStart.temporal + 3);
    expect(checks.current).toBeGreaterThan(checksAtStart.current + 3);

    // Nothing lost: every unit is in the log, and both models equal folds of the whole log.
    await waitForProjections(database.db, ['temporal']);
    const log = await wholeLog(store, database.db);
    const ids = new Set(log.map((e) => e.eventId));
    expect(written.flat(2).filter((e) => !ids.has(e.eventId))).toEqual([]);
    const temporal = foldTemporal(log);
    const current = foldCurrent(log);
    expect(await dumpTable(database.db, 'temporal_alias_ids', 'alias_id')).toEqual(temporal.ids);
    expect(await dumpTable(database.db, 'temporal_alias_versions', 'alias_id, version')).toEqual(temporal.versions);
    expect(await dumpTable(database.db, 'kms_keys', 'account_id, region, key_id')).toEqual(current.keys);
    expect(await dumpTable(database.db, 'kms_aliases', 'account_id, region, alias_name')).toEqual(current.aliases);
  });
});
