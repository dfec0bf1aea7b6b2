import { Client } from 'pg';
import { openBenchDatabase } from './bench-database';
import { type LagReport, benchLag } from './history-lag';
import { type QueryRow, benchQueries } from './history-queries';
import { type ReadAllReport, type RebuildRow, benchRebuilds } from './history-rebuild';
import { HistoryScenario } from './history-scenario';
import { type SeedMethod, type SeedReport, seedHistory } from './history-seed';

export interface HistoryOptions {
  /** Events to seed: 1,000,000 for the figures the targets speak of. */
  readonly events: number;
  readonly seedMethod: SeedMethod;
  readonly seedBatchSize: number;
  readonly rebuildBatchSize: number;
  /** Random samples per query. */
  readonly samples: number;
  readonly lagClients: number;
  readonly lagSeconds: number;
  /** A database (on DATABASE_URL's server) kept between runs: seeded once, reused while it holds the events. */
  readonly keepDatabase?: string;
}

export interface HistoryReport {
  readonly server: string;
  readonly options: HistoryOptions;
  readonly seed: SeedReport;
  readonly rebuilds: RebuildRow[];
  readonly readAll: ReadAllReport;
  readonly queries: QueryRow[];
  readonly seqScanMs: number;
  readonly lag: LagReport;
}

/**
 * The history at size, on a database of its own: seed a year of KMS traffic (HistoryScenario),
 * rebuild every projection from it, sample the point-in-time and audit queries, then measure the
 * projections' lag while the service takes a sustained write load on that same database.
 */
export async function benchHistory(options: HistoryOptions, log: (line: string) => void): Promise<HistoryReport> {
  const database = await openBenchDatabase(options.keepDatabase);
  try {
    const scenario = new HistoryScenario(options.events);
    log(
      `history on ${database.server}: ${options.events.toLocaleString('en')} events, ${scenario.keyCount.toLocaleString('en')} keys, ${scenario.aliasCount.toLocaleString('en')} aliases, ${scenario.start.toISOString().slice(0, 10)} to ${scenario.end.toISOString().slice(0, 10)}`,
    );
    const seeded = await seededEvents(database.url);
    const seed =
      seeded >= options.events
        ? reusedSeed(seeded, scenario, log)
        : await seedHistory(database.url, scenario, {
            method: options.seedMethod,
            batchSize: options.seedBatchSize,
            log,
          });
    log(
      `seeded ${seed.events.toLocaleString('en')} events in ${seed.seconds.toFixed(1)} s (${Math.round(seed.eventsPerSecond).toLocaleString('en')}/s, ${seed.method}, ${seed.batchSize} a transaction; CPU: Node ${seed.cpu.node.toFixed(1)} s, PostgreSQL ${seed.cpu.postgres?.toFixed(1) ?? '?'} s), then VACUUM ANALYZE ${seed.vacuumSeconds.toFixed(1)} s; events table ${seed.eventsTableSize}`,
    );
    log(`event types: ${JSON.stringify(seed.counts)}`);
    log(`rebuilding current, temporal and audit (batches of ${options.rebuildBatchSize})`);
    const { rows: rebuilds, readAll } = await benchRebuilds(database.url, options.rebuildBatchSize);
    // Each figure as soon as it is measured: a later phase that fails (the lag's service) loses none.
    for (const row of rebuilds)
      log(
        `rebuild ${row.projection}: ${row.seconds.toFixed(1)} s (${phasesOf(row)}; CPU: Node ${row.cpu.node.toFixed(1)} s, PostgreSQL ${row.cpu.postgres?.toFixed(1) ?? '?'} s)`,
      );
    log(`sampling queries (${options.samples} samples each)`);
    const { rows: queries, seqScanMs } = await benchQueries(database.url, scenario, options.samples);
    for (const row of queries)
      log(`${row.query}: p50 ${row.latency.p50Ms.toFixed(2)} ms, p99 ${row.latency.p99Ms.toFixed(2)} ms`);
    log(`projection lag: ${options.lagClients} clients writing for ${options.lagSeconds} s`);
    const lag = await benchLag(database.url, options.lagClients, options.lagSeconds);
    return { server: database.server, options, seed, rebuilds, readAll, queries, seqScanMs, lag };
  } finally {
    await database.close();
  }
}

const phasesOf = (row: RebuildRow) =>
  Object.entries(row.phases)
    .map(([phase, seconds]) => `${phase} ${seconds!.toFixed(1)} s`)
    .join(', ');

/** Events already in a kept database. */
async function seededEvents(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM events');
    return rows[0]!.count;
  } finally {
    await client.end();
  }
}

function reusedSeed(events: number, scenario: HistoryScenario, log: (line: string) => void): SeedReport {
  log(`reusing the ${events.toLocaleString('en')} events already in the kept database (no seeding)`);
  // The scenario learns its alias names and callers as it generates: the queries sample from them.
  for (const _ of scenario.generate());
  return {
    method: 'reused',
    batchSize: 0,
    events,
    seconds: 0,
    eventsPerSecond: 0,
    cpu: { node: 0, postgres: undefined },
    counts: {},
    vacuumSeconds: 0,
    eventsTableSize: '',
  };
}
