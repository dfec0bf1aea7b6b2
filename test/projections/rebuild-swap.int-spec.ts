import { type Kysely, sql } from 'kysely';
import { createKysely, createPool } from '../../src/database/create-database';
import type { Database } from '../../src/database/database.types';
import { EventStore } from '../../src/event-store/event-store';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { CURRENT_TABLES, CurrentRebuildTarget } from '../../src/projections/rebuild/current-rebuild-target';
import { startRebuild } from '../../src/projections/rebuild/projection-rebuild';
import { lockProjectionForRead } from '../../src/projections/rebuild/projection-read-lock';
import { RunnerRebuildTarget } from '../../src/projections/rebuild/runner-rebuild-target';
import { TEMPORAL_TABLES, TemporalAliasesProjection } from '../../src/projections/temporal/temporal-aliases.projection';
import { eventually } from '../support/events';
import { dumpTable } from '../support/rebuild-folds';
import { kmsHistory } from '../support/rebuild-history';
import { waitForProjections } from '../support/rebuild-log';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const versions = async (db: Kysely<Database>) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM temporal_alias_versions`.execute(db)).rows[0]!.n;

/** The lock modes sessions wait for on a table. */
const waitingFor = async (db: Kysely<Database>, table: string) =>
  (
    await sql<{ mode: string }>`
      SELECT mode FROM pg_locks
       WHERE NOT granted AND locktype = 'relation' AND relation = ${table}::regclass ORDER BY mode`.execute(db)
  ).rows.map((r) => r.mode);

describe('the swap', () => {
  let database: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 12 });
    store = new EventStore(database.pool, database.db);
    runner = new ProjectionRunner(store, database.db, undefined, new TemporalAliasesProjection(), {
      pollIntervalMs: 10,
    });
    await runner.start();
    const units = kmsHistory({ seed: 5, units: 800, accountId: '500000000000' });
    for (let u = 0; u < units.length; u += 50) await store.append(units.slice(u, u + 50).flat());
    await waitForProjections(database.db, ['temporal']);
  });
  afterAll(async () => {
    await runner.stop();
    await database.drop();
  });

  it('needs the read lock: a REPEATABLE READ snapshot older than the swap sees the new table empty without it', async () => {
    const expected = await versions(database.db);
    const rebuildTemporal = async () =>
      (await startRebuild({ db: database.db, store }, new RunnerRebuildTarget(store, new TemporalAliasesProjection())))
        .finished;
    // Without: the snapshot is taken (SELECT 1) before the rebuild, the table opened after the swap.
    const unlocked = database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`SELECT 1`.execute(trx);
        await rebuildTemporal();
        return versions(trx);
      });
    expect(await unlocked).toBe(0);
    // With: the lock comes first, so the swap waits for this reader, who reads the old tables whole.
    let swapped = false;
    const locked = await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await lockProjectionForRead(trx, TEMPORAL_TABLES);
        const rebuild = rebuildTemporal().then(() => (swapped = true));
        // The swap waits for this reader.
        await eventually(async () => (await waitingFor(database.db, 'temporal_alias_ids')).length > 0, 10_000);
        const seen = { during: await versions(trx), swappedMeanwhile: swapped };
        return { ...seen, rebuild };
      });
    await locked.rebuild;
    expect(locked).toMatchObject({ during: expected, swappedMeanwhile: false });
    expect(await versions(database.db)).toBe(expected);
  });

  it('current: a writer stuck in the trigger during the swap writes into the new tables once it commits', async () => {
    // One session for the writer, so the trigger's plans are cached before the swap replaces the tables.
    const writerPool = createPool(database.url, { max: 1, idleTransactionTimeoutMs: 30_000 });
    const writer = new EventStore(writerPool, createKysely(writerPool));
    // The swap's lock timeout stays under deadlock_timeout; raised here (for new sessions), the swap
    // waits for the reader below in one attempt, and the writer is sure to meet it frozen.
    await sql`ALTER DATABASE ${sql.id(database.name)} SET deadlock_timeout = '20s'`.execute(database.db);
    const rebuildPool = createPool(database.url, { max: 4, idleTransactionTimeoutMs: 30_000 });
    const rebuildDb = createKysely(rebuildPool);
    const units = kmsHistory({ seed: 6, units: 40, accountId: '500000000001' });
    try {
      await writer.append(units.slice(0, 20).flat());
      // A reader holding the live tables keeps the swap from its ACCESS EXCLUSIVE lock, after the freeze.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const reader = database.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          await lockProjectionForRead(trx, CURRENT_TABLES);
          await held;
        });
      const { finished } = await startRebuild({ db: rebuildDb, store }, new CurrentRebuildTarget(), {
        lockTimeoutMs: 8000,
      });
      const waits = (modes: string[]) => async () =>
        JSON.stringify(await waitingFor(database.db, 'kms_keys')) === JSON.stringify(modes);
      // The swap has frozen the live tables and waits for the reader; then the writer waits in its trigger.
      expect(await eventually(waits(['AccessExclusiveLock']), 10_000)).toBe(true);
      const appended = writer.append(units.slice(20).flat());
      expect(await eventually(waits(['AccessExclusiveLock', 'RowExclusiveLock']), 10_000)).toBe(true);
      const oid = async () =>
        (await sql<{ oid: number }>`SELECT 'kms_keys'::regclass::oid AS oid`.execute(database.db)).rows[0]!.oid;
      const before = await oid();
      release();
      await reader;
      await finished;
      await appended;
      expect(await oid()).not.toBe(before);
      const keys = await dumpTable(database.db, 'kms_keys', 'key_id');
      const written = units.flat().filter((e) => e.type === 'KeyCreated');
      const deleted = units.flat().filter((e) => e.type === 'KeyDeleted');
      expect(keys.filter((k) => k.account_id === '500000000001')).toHaveLength(written.length - deleted.length);
      // And the model still equals a replay from scratch by the migration's own kms_current_rebuild.
      const live = await Promise.all([
        dumpTable(database.db, 'kms_keys', 'account_id, region, key_id'),
        dumpTable(database.db, 'kms_aliases', 'account_id, region, alias_name'),
      ]);
      await sql`SELECT kms_current_rebuild()`.execute(database.db);
      expect(
        await Promise.all([
          dumpTable(database.db, 'kms_keys', 'account_id, region, key_id'),
          dumpTable(database.db, 'kms_aliases', 'account_id, region, alias_name'),
        ]),
      ).toEqual(live);
    } finally {
      await writerPool.end();
      await rebuildDb.destroy();
    }
  });
});
