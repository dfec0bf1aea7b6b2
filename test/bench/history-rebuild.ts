import { createKysely, createPool } from '../../src/database/create-database';
import { EventStore } from '../../src/event-store/event-store';
import { AuditEventsProjection } from '../../src/projections/audit/audit-events.projection';
import { CurrentRebuildTarget } from '../../src/projections/rebuild/current-rebuild-target';
import { startRebuild } from '../../src/projections/rebuild/projection-rebuild';
import type { RebuildPhase } from '../../src/projections/rebuild/rebuild-progress';
import type { RebuildTarget } from '../../src/projections/rebuild/rebuild-target';
import { RunnerRebuildTarget } from '../../src/projections/rebuild/runner-rebuild-target';
import { TemporalAliasesProjection } from '../../src/projections/temporal/temporal-aliases.projection';
import { type CpuSeconds, cpuClock } from './cpu-usage';

export interface ReadAllReport {
  readonly events: number;
  readonly seconds: number;
  readonly cpu: CpuSeconds;
}

export interface RebuildRow {
  readonly projection: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** CPU seconds it cost: less noisy than the wall time on a shared machine. */
  readonly cpu: CpuSeconds;
  /** Seconds spent in each phase (replaying, indexing, swapping), to show where the time goes. */
  readonly phases: Partial<Record<RebuildPhase, number>>;
}

/**
 * Full rebuilds through the rebuild runtime (src/projections/rebuild, what `npm run cli -- rebuild`
 * runs), one projection after another: the inline `current` model (its live tables are empty after
 * the seed), then `temporal` and `audit`, each replayed from the first event into shadow tables and
 * swapped in. Also the floor for a runner projection's rebuild: reading the whole log into Node
 * through the same barrier-safe readAll, in the same batch size, applying nothing.
 */
export async function benchRebuilds(
  url: string,
  batchSize: number,
): Promise<{ rows: RebuildRow[]; readAll: ReadAllReport }> {
  const pool = createPool(url, { max: 6, idleTransactionTimeoutMs: 600_000, applicationName: 'bench-rebuild' });
  const db = createKysely(pool);
  const store = new EventStore(pool, db);
  const targets: RebuildTarget[] = [
    new CurrentRebuildTarget(),
    new RunnerRebuildTarget(store, new TemporalAliasesProjection()),
    new RunnerRebuildTarget(store, new AuditEventsProjection()),
  ];
  try {
    const rows: RebuildRow[] = [];
    for (const target of targets) {
      const stopCpu = await cpuClock(pool);
      const row = await rebuildOne(db, store, target, batchSize);
      rows.push({ ...row, cpu: await stopCpu() });
    }
    const stopCpu = await cpuClock(pool);
    const read = await readWholeLog(store, batchSize);
    return { rows, readAll: { ...read, cpu: await stopCpu() } };
  } finally {
    await db.destroy();
  }
}

async function rebuildOne(
  db: ReturnType<typeof createKysely>,
  store: EventStore,
  target: RebuildTarget,
  batchSize: number,
): Promise<Omit<RebuildRow, 'cpu'>> {
  const phases: Partial<Record<RebuildPhase, number>> = {};
  let phase: RebuildPhase | undefined;
  let phaseStarted = Date.now();
  let lastPrinted = 0;
  const started = Date.now();
  const { finished } = await startRebuild({ db, store }, target, {
    batchSize,
    onProgress: (progress) => {
      const now = Date.now();
      if (progress.phase !== phase) {
        if (phase) phases[phase] = (phases[phase] ?? 0) + (now - phaseStarted) / 1000;
        [phase, phaseStarted] = [progress.phase, now];
      }
      if (now - lastPrinted >= 1000) {
        lastPrinted = now;
        process.stderr.write(
          `\r  rebuilding ${target.name}: ${progress.phase}, ${progress.eventsDone.toLocaleString('en')} / ${progress.eventsTotal.toLocaleString('en')} events, ${Math.round(progress.eventsPerSecond).toLocaleString('en')} events/s   `,
        );
      }
    },
  });
  const done = await finished;
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(
    `\r  rebuilt ${target.name}: ${done.eventsDone.toLocaleString('en')} events in ${seconds.toFixed(1)} s\n`,
  );
  return {
    projection: target.name,
    events: done.eventsDone,
    seconds,
    eventsPerSecond: done.eventsDone / seconds,
    phases,
  };
}

async function readWholeLog(store: EventStore, batchSize: number): Promise<{ events: number; seconds: number }> {
  const started = Date.now();
  let events = 0;
  let after;
  for (;;) {
    const batch = await store.readAll({ after, limit: batchSize });
    if (batch.length === 0) break;
    events += batch.length;
    const last = batch[batch.length - 1]!;
    after = { transactionId: last.transactionId, position: last.position };
  }
  return { events, seconds: (Date.now() - started) / 1000 };
}
