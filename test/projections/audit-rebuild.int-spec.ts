import { EventStore } from '../../src/event-store/event-store';
import { AuditEventsProjection } from '../../src/projections/audit/audit-events.projection';
import { ProjectionRunner } from '../../src/projections/projection-runner';
import { startRebuild } from '../../src/projections/rebuild/projection-rebuild';
import type { RebuildProgress } from '../../src/projections/rebuild/rebuild-progress';
import { RunnerRebuildTarget } from '../../src/projections/rebuild/runner-rebuild-target';
import { everyKindOfCall } from '../support/audit-calls';
import { auditRows, foldAudit } from '../support/audit-fold';
import { dumpTable } from '../support/rebuild-folds';
import { kmsHistory } from '../support/rebuild-history';
import { waitForProjections, wholeLog } from '../support/rebuild-log';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * A rebuild of `audit` loads the log set-based (AuditEventsProjection.load), then replays what came
 * since in large batches, while the live projection built the same rows in batches of 7: every kind
 * of call, scheduled deletions whose aliases the live batches cut apart, failed calls and reads.
 */
describe('rebuilding the audit projection through its set-based load', () => {
  let database: TestDatabase;
  let store: EventStore;
  let runner: ProjectionRunner;
  const caughtUp = () => waitForProjections(database.db, ['audit']);

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 12 });
    store = new EventStore(database.pool, database.db);
    runner = new ProjectionRunner(store, database.db, undefined, new AuditEventsProjection(), {
      pollIntervalMs: 10,
      batchSize: 7,
    });
    await runner.start();
    for (const [i, seed] of [31, 32].entries()) {
      await store.append(everyKindOfCall(`call-${i}`, String(700000000000 + i)));
      const units = kmsHistory({ seed, units: 600, accountId: String(600000000000 + i) });
      for (let u = 0; u < units.length; u += 40) await store.append(units.slice(u, u + 40).flat());
    }
    await caughtUp();
  });
  afterAll(async () => {
    await runner.stop();
    await database.drop();
  });

  it('gives the rows the live projection built, and the live projection goes on from them', async () => {
    const before = await dumpTable(database.db, 'audit_events', 'seq');
    expect(before.length).toBeGreaterThan(1000);
    const progress: RebuildProgress[] = [];
    const target = new RunnerRebuildTarget(store, new AuditEventsProjection());
    const { finished } = await startRebuild({ db: database.db, store }, target, {
      batchSize: 400,
      onProgress: (p) => progress.push(p),
    });
    expect(await finished).toMatchObject({ status: 'done', phase: 'swapped', projection: 'audit' });
    expect(progress.find((p) => p.phase === 'loading' && p.eventsDone > 0)).toBeDefined();
    await caughtUp();
    expect(await dumpTable(database.db, 'audit_events', 'seq')).toEqual(before);

    await store.append(everyKindOfCall('after', '799999999999'));
    await caughtUp();
    expect(await auditRows(database.db)).toEqual(foldAudit(await wholeLog(store, database.db)));
  });
});
