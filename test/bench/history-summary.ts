import type { HistoryReport } from './history.bench';
import { WATCH_INTERVAL_MS } from './history-lag';
import type { Latency } from './latency-samples';

/** The issue's targets, for 1,000,000 events. */
const TARGETS = { aliasAtP99Ms: 5, pageAtP99Ms: 10, auditPageP99Ms: 50, rebuildSeconds: 30, lagP99Ms: 250 };

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2));
const pair = (l: Latency) => `${ms(l.p50Ms)} / ${ms(l.p99Ms)}`;
const cpu = (seconds: number | undefined) => (seconds === undefined ? '' : Number(seconds.toFixed(1)));
const met = (ok: boolean, full: boolean) => `${ok ? 'yes' : 'NO'}${full ? '' : ' (not 1M)'}`;

/** Prints the history benchmark's tables: rebuilds, queries and lag, each beside its baseline and target. */
export function printHistory(report: HistoryReport): void {
  const full = report.seed.events >= 1_000_000;
  const pointLookup = report.queries.find((q) => q.query.startsWith('baseline'))!.latency;
  const readAllRate = report.readAll.events / report.readAll.seconds;

  console.log(
    `\nHistory: ${report.seed.events.toLocaleString('en')} events; rebuilds through src/projections/rebuild (batches of ${report.options.rebuildBatchSize})`,
  );
  console.table([
    {
      step: `baseline: read the whole log in Node (readAll, ${report.options.rebuildBatchSize} a batch)`,
      seconds: Number(report.readAll.seconds.toFixed(1)),
      'events/s': Math.round(readAllRate),
      'Node CPU s': cpu(report.readAll.cpu.node),
      'PG CPU s': cpu(report.readAll.cpu.postgres),
      '× baseline': '',
      target: '',
      met: '',
    },
    ...report.rebuilds.map((row) => ({
      step: `rebuild ${row.projection} (${Object.entries(row.phases)
        .map(([phase, s]) => `${phase} ${s!.toFixed(1)} s`)
        .join(', ')})`,
      seconds: Number(row.seconds.toFixed(1)),
      'events/s': Math.round(row.eventsPerSecond),
      'Node CPU s': cpu(row.cpu.node),
      'PG CPU s': cpu(row.cpu.postgres),
      '× baseline': Number((row.seconds / report.readAll.seconds).toFixed(2)),
      target: `< ${TARGETS.rebuildSeconds} s`,
      met: met(row.seconds < TARGETS.rebuildSeconds, full),
    })),
  ]);

  console.log(
    `\nQueries, one client, p50 / p99 ms (× baseline: p99 over the point lookup's p99); sequential scan of events: ${ms(report.seqScanMs)} ms`,
  );
  const target = (query: string): number | undefined =>
    query.startsWith('alias at T (snapshot')
      ? TARGETS.aliasAtP99Ms
      : query.startsWith('page of 100')
        ? TARGETS.pageAtP99Ms
        : query.startsWith('audit')
          ? TARGETS.auditPageP99Ms
          : undefined;
  console.table(
    report.queries.map((row) => {
      const limit = target(row.query);
      return {
        query: row.query,
        samples: row.latency.samples,
        'p50 / p99 ms': pair(row.latency),
        'max ms': ms(row.latency.maxMs),
        'rows/sample': Number(row.meanRows.toFixed(1)),
        '× baseline': row.query.startsWith('baseline')
          ? ''
          : Number((row.latency.p99Ms / pointLookup.p99Ms).toFixed(1)),
        'vs seq scan': row.query.startsWith('all aliases')
          ? Number((row.latency.p50Ms / report.seqScanMs).toFixed(2))
          : '',
        target: limit === undefined ? '' : `p99 < ${limit} ms`,
        met: limit === undefined ? '' : met(row.latency.p99Ms < limit, full),
      };
    }),
  );

  printLag(report, full);
  printTargets(report, full);
}

function printLag(report: HistoryReport, full: boolean): void {
  const lag = report.lag;
  console.log(
    `\nProjection lag under load, aliastrail on the seeded database (ready in ${lag.startupSeconds.toFixed(1)} s): ${lag.clients} clients, UpdateAlias and CreateAlias, ${lag.writes} writes in ${lag.seconds.toFixed(1)} s (${Math.round(lag.writesPerSecond)}/s, p50 / p99 ${pair(lag.write)} ms, ${lag.failed} failed, ${lag.uncovered} never covered); checkpoints polled every ${WATCH_INTERVAL_MS} ms`,
  );
  console.table(
    (['temporal', 'audit'] as const).map((projection) => ({
      projection,
      writes: lag.lag[projection].samples,
      'lag p50 / p99 ms': pair(lag.lag[projection]),
      'max ms': ms(lag.lag[projection].maxMs),
      target: `p99 < ${TARGETS.lagP99Ms} ms`,
      met: met(lag.lag[projection].p99Ms < TARGETS.lagP99Ms && lag.uncovered === 0, full),
    })),
  );
}

/** The one table to read: each target, what was measured, and the baseline measured beside it. */
function printTargets(report: HistoryReport, full: boolean): void {
  const query = (prefix: string) => report.queries.find((q) => q.query.startsWith(prefix))!.latency;
  const lookup = query('baseline');
  const rebuild = (name: string) => report.rebuilds.find((r) => r.projection === name)!;
  const lookupText = `event by position p99 ${ms(lookup.p99Ms)} ms`;
  const readText = `read whole log ${report.readAll.seconds.toFixed(1)} s`;
  const rows = [
    ['alias at T, p99 ms', query('alias at T (snapshot'), TARGETS.aliasAtP99Ms, lookupText],
    ['page of 100 at T, p99 ms', query('page of 100'), TARGETS.pageAtP99Ms, lookupText],
    ['audit page by alias, p99 ms', query('audit page by alias'), TARGETS.auditPageP99Ms, lookupText],
    ['audit page by user + range, p99 ms', query('audit page by user'), TARGETS.auditPageP99Ms, lookupText],
  ].map(([name, latency, limit, baseline]) => ({
    measure: name as string,
    measured: ms((latency as Latency).p99Ms),
    target: `< ${limit as number}`,
    met: met((latency as Latency).p99Ms < (limit as number), full),
    baseline: baseline as string,
  }));
  for (const name of ['temporal', 'audit', 'current']) {
    const row = rebuild(name);
    rows.push({
      measure: `rebuild ${name}, s (${Math.round(row.eventsPerSecond).toLocaleString('en')} events/s)`,
      measured: row.seconds.toFixed(1),
      target: `< ${TARGETS.rebuildSeconds}`,
      met: met(row.seconds < TARGETS.rebuildSeconds, full),
      baseline: readText,
    });
  }
  for (const name of ['temporal', 'audit'] as const) {
    const lag = report.lag.lag[name];
    rows.push({
      measure: `${name} lag under load, p99 ms`,
      measured: ms(lag.p99Ms),
      target: `< ${TARGETS.lagP99Ms}`,
      met: met(lag.p99Ms < TARGETS.lagP99Ms && report.lag.uncovered === 0, full),
      baseline: `write p99 ${ms(report.lag.write.p99Ms)} ms`,
    });
  }
  console.log(`\nHistory targets (${report.seed.events.toLocaleString('en')} events; ${report.server})`);
  console.table(rows);
}
