import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchAppend } from './append.bench';
import { type BenchDatabase, openBenchDatabase } from './bench-database';
import { benchConsole } from './console.bench';
import { benchCloudTrailImport } from './cloudtrail-import.bench';
import { benchHistory } from './history.bench';
import type { SeedMethod } from './history-seed';
import { printHistory } from './history-summary';
import { type Timed, benchLedger } from './ledger.bench';
import { benchKmsApi } from './kms-api.bench';
import { benchKmsCrypto } from './kms-crypto.bench';
import type { Measurement } from './measure';

/**
 * `npm run bench`: every figure is reported beside a baseline measured in the same run on the same
 * database, because these machines are shared and noisy. BENCH_SECONDS sets each measurement's
 * length; BENCH_ONLY=append, BENCH_ONLY=kms, BENCH_ONLY=crypto or BENCH_ONLY=console runs one part. BENCH_ONLY=history runs the history
 * benchmark (history.bench.ts), which is opt-in: it seeds 1,000,000 events into a database of its
 * own and takes minutes and gigabytes. BENCH_HISTORY_EVENTS sets a smaller size for development;
 * BENCH_HISTORY_DATABASE=<name> keeps the seeded database and reuses it on the next run.
 * BENCH_ONLY=ledger runs the ledger benchmark (ledger.bench.ts), also opt-in: it copies the seeded
 * database BENCH_LEDGER_TEMPLATE (hist1m) and chains, exports and verifies its events.
 * BENCH_ONLY=cloudtrail runs the CloudTrail import benchmark (cloudtrail-import.bench.ts), opt-in:
 * it generates a 1,000,000-record trail (BENCH_TRAIL_RECORDS for fewer) and imports it.
 */
async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 3);
  const only = process.env.BENCH_ONLY;
  if (only === 'history') return runHistory();
  if (only === 'ledger') return runLedger();
  if (only === 'cloudtrail') return runCloudTrail();
  const database = await openBenchDatabase();
  console.log(`aliastrail benchmarks on ${database.server}; ${os.cpus().length} CPUs; ${seconds} s per measurement\n`);
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    server: database.server,
    cpus: os.cpus().length,
    node: process.version,
    seconds,
  };
  try {
    if (!only || only === 'append') results.append = await runAppend(database, seconds);
    if (!only || only === 'kms') results.kmsApi = await runKmsApi(database, seconds);
    if (!only || only === 'crypto') results.kmsCrypto = await runKmsCrypto(database, seconds);
    if (!only || only === 'console') results.console = await runConsole(database);
  } finally {
    await database.close();
  }
  writeResults('benchmarks.json', results);
}

async function runCloudTrail() {
  const database = await openBenchDatabase();
  try {
    console.log(`CloudTrail import on ${database.server}; ${os.cpus().length} CPUs`);
    const report = await benchCloudTrailImport(database, (line) => console.log(`  ${line}`));
    const ratio = report.importRecordsPerSecond / report.baselineRecordsPerSecond;
    console.table([
      { what: 'baseline: gunzip + JSON.parse of the same files', 'records/s': report.baselineRecordsPerSecond },
      {
        what: 'npm run cli -- import cloudtrail (whole CLI run)',
        'records/s': report.importRecordsPerSecond,
        'ratio to baseline': Number(ratio.toFixed(2)),
        'CPU s per 1M records': report.importCpuSecondsPerMillion,
        'peak RSS MB': report.importPeakRssMb,
      },
    ]);
    console.log(`Observed aliases folded from every imported record in ${report.foldSeconds} s`);
    console.table([
      { what: 'alias at T, observed account (provenance + version)', ...report.aliasAtObserved },
      { what: 'baseline: the raw SQL index lookup', ...report.aliasAtRawSql },
    ]);
    writeResults('cloudtrail-import.json', { date: new Date().toISOString(), server: database.server, ...report });
  } finally {
    await database.close();
  }
}

async function runConsole(database: BenchDatabase) {
  console.log('\nConsole: 1,000 keys and 3,000 aliases in one Region, headless Chromium');
  const report = await benchConsole(database, (line) => console.log(`  ${line}`));
  if (!report) return undefined;
  const row = (what: string, t: { medianMs: number; maxMs: number }, target: string) => ({
    what,
    'median ms': t.medianMs,
    'max ms': t.maxMs,
    target,
  });
  console.table([
    row('key table: first page with aliases, from navigation', report.keyTableRows, '≤ 1,000 ms'),
    row('key table: first page described (status, spec, usage)', report.keyTableDescribed, ''),
    row('baseline: one ListAliases call (1,000 aliases)', report.oneCall, ''),
    row("a key's Aliases tab, from (+n more)", report.aliasesTab, '≤ 500 ms'),
    row('time travel: the key table at a past moment', report.timeTravel, '≤ 500 ms'),
  ]);
  console.log(
    `First-load JavaScript (the sign-in page): ${(report.firstLoadJsGzipBytes / 1024).toFixed(0)} KB gzipped in ${report.firstLoadJsFiles.length} files (target ≤ 400 KB)`,
  );
  return report;
}

function writeResults(file: string, results: unknown): void {
  const out = path.resolve('bench-results', file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`\nwritten to ${out}`);
}

const rate = (m: Measurement | undefined) => (m ? Math.round(m.perSecond) : '');
const cpuPerRequest = (m: Measurement | undefined) => {
  const cpu = m?.cpuMsPerOperation;
  if (!cpu) return '';
  const ms = (value: number | undefined) => (value === undefined ? '?' : value.toFixed(2));
  return `${ms(cpu.server)} + ${ms(cpu.postgres)}`;
};
const latency = (m: Measurement | undefined) => (m ? `${m.p50Ms.toFixed(1)} / ${m.p99Ms.toFixed(1)}` : '');

async function runAppend(database: BenchDatabase, seconds: number) {
  const append = await benchAppend(database, seconds);
  console.log(
    'Append: single-event units of work vs plain single-row INSERT transactions (same table shape); median of 3 rounds',
  );
  console.table(
    append.map((row) => ({
      writers: row.writers,
      'baseline inserts/s': rate(row.baseline),
      'event store events/s': rate(row.eventStore),
      ratio: Number(row.ratio.toFixed(2)),
      'baseline p50/p99 ms': latency(row.baseline),
      'event store p50/p99 ms': latency(row.eventStore),
    })),
  );
  return append;
}

async function runKmsApi(database: BenchDatabase, seconds: number) {
  const rows = await benchKmsApi(database, seconds, (line) => console.log(`  ${line}`));
  console.log(
    '\nKMS API over HTTP, SigV4-signed: aliastrail vs moto_server vs a bare node:http server doing one INSERT per request',
  );
  console.table(
    rows.map((row) => ({
      operation: row.operation,
      clients: row.clients,
      'aliastrail /s': rate(row.aliastrail),
      'p50/p99 ms': latency(row.aliastrail),
      'moto /s': rate(row.moto),
      'moto p50/p99 ms': latency(row.moto),
      'bare INSERT /s': rate(row.bare),
      '× moto': Number((row.aliastrail.perSecond / row.moto.perSecond).toFixed(2)),
      '× bare': row.bare ? Number((row.aliastrail.perSecond / row.bare.perSecond).toFixed(2)) : '',
    })),
  );
  console.log('CPU ms per request: the server process + the database backends (moto has none)');
  console.table(
    rows.map((row) => ({
      operation: row.operation,
      clients: row.clients,
      aliastrail: cpuPerRequest(row.aliastrail),
      moto: cpuPerRequest(row.moto),
      'bare INSERT': cpuPerRequest(row.bare),
    })),
  );
  return rows;
}

async function runKmsCrypto(database: BenchDatabase, seconds: number) {
  const report = await benchKmsCrypto(database, seconds, (line) => console.log(`  ${line}`));
  const ratio = (a: Measurement, b: Measurement) => Number((a.perSecond / b.perSecond).toFixed(2));
  console.log(
    '\nKMS crypto over HTTP, SigV4-signed, through an alias (Decrypt too: KeyId is the alias): aliastrail vs moto_server vs a bare ' +
      'node:http server (SigV4 + one indexed SELECT + AES-256-GCM)',
  );
  console.table(
    report.rows.map((row) => ({
      operation: row.operation,
      clients: row.clients,
      'aliastrail /s': rate(row.aliastrail),
      'p50/p99 ms': latency(row.aliastrail),
      'moto /s': rate(row.moto),
      'moto p50/p99 ms': latency(row.moto),
      'bare /s': rate(row.bare),
      'bare p50/p99 ms': latency(row.bare),
      '× moto': ratio(row.aliastrail, row.moto),
      '× bare': ratio(row.aliastrail, row.bare),
    })),
  );
  console.log('CPU ms per request: the server process + the database backends (moto has none)');
  console.table(
    report.rows.map((row) => ({
      operation: row.operation,
      clients: row.clients,
      aliastrail: cpuPerRequest(row.aliastrail),
      moto: cpuPerRequest(row.moto),
      bare: cpuPerRequest(row.bare),
    })),
  );
  const ms = (value: number | undefined) => (value === undefined ? '> 30000' : Math.round(value));
  console.log(
    "aliastrail's audit trail: KmsCallRecorded written during each measurement, each record's lag (answer → " +
      'row), and how long after the load all were in events and in the audit projection',
  );
  console.table(
    report.rows.map(({ operation, clients, aliastrail, audit }) => ({
      operation,
      clients,
      'calls /s': rate(aliastrail),
      'records /s': Math.round(audit.recordsPerSecond),
      'record lag p50/p99/max ms': [audit.recordLagMs.p50, audit.recordLagMs.p99, audit.recordLagMs.max]
        .map((value) => value.toFixed(1))
        .join(' / '),
      'all written after ms': ms(audit.drainedAfterMs),
      'audit projection after ms': ms(audit.projectedAfterMs),
      'other events': audit.otherEvents,
    })),
  );
  const verdict = (value: number, ok: boolean) => `${value} ${ok ? 'met' : 'MISSED'}`;
  console.log('Targets at 8 clients');
  console.table(
    report.rows
      .filter((row) => row.clients === 8)
      .map((row) => ({
        operation: row.operation,
        '× bare ≥ 0.5': verdict(ratio(row.aliastrail, row.bare), row.aliastrail.perSecond >= 0.5 * row.bare.perSecond),
        '× moto ≥ 10': verdict(ratio(row.aliastrail, row.moto), row.aliastrail.perSecond >= 10 * row.moto.perSecond),
        'p99 ≤ 10 ms': verdict(Number(row.aliastrail.p99Ms.toFixed(1)), row.aliastrail.p99Ms <= 10),
        'events on the path = 0': verdict(row.audit.otherEvents, row.audit.otherEvents === 0),
      })),
  );
  console.log(
    `Events other than KmsCallRecorded appended during the crypto measurements: ${report.otherEventsAppended}`,
  );
  return report;
}

async function runHistory(): Promise<void> {
  const number = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  const report = await benchHistory(
    {
      events: number('BENCH_HISTORY_EVENTS', 1_000_000),
      seedMethod: (process.env.BENCH_HISTORY_SEED ?? 'copy') as SeedMethod,
      seedBatchSize: number('BENCH_HISTORY_SEED_BATCH', 10_000),
      rebuildBatchSize: number('BENCH_HISTORY_REBUILD_BATCH', 5_000),
      samples: number('BENCH_HISTORY_SAMPLES', 1_000),
      lagClients: number('BENCH_HISTORY_LAG_CLIENTS', 8),
      lagSeconds: number('BENCH_HISTORY_LAG_SECONDS', 15),
      keepDatabase: process.env.BENCH_HISTORY_DATABASE,
    },
    (line) => console.log(`  ${line}`),
  );
  printHistory(report);
  writeResults('history.json', {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    node: process.version,
    ...report,
  });
}

async function runLedger(): Promise<void> {
  const report = await benchLedger(
    {
      events: Number(process.env.BENCH_LEDGER_EVENTS ?? 1_000_000),
      template: process.env.BENCH_LEDGER_TEMPLATE ?? 'hist1m',
      database: process.env.BENCH_LEDGER_DATABASE ?? 'ledger1m',
      batchSize: Number(process.env.BENCH_LEDGER_BATCH ?? 10_000),
      verifyRuns: Number(process.env.BENCH_LEDGER_VERIFY_RUNS ?? 3),
    },
    (line) => console.log(`  ${line}`),
  );
  const cpu = (t: Timed) => `${t.cpu.node.toFixed(1)} / ${t.cpu.postgres?.toFixed(1) ?? '?'}`;
  console.log(`\nLedger: ${report.events.toLocaleString('en')} events`);
  console.table(
    (
      [
        ['baseline: sequential scan of events (PostgreSQL only)', report.seqScan],
        ['baseline: read every event into Node (binary COPY, no hashing)', report.readEvents],
        [`sequence: chain and sign (${report.sequence.digests} digests)`, report.sequence],
        [`verify online (median of ${report.verifyOnlineRuns.join(' / ')} s)`, report.verifyOnline],
        [`export (${(report.export.bytes / 1e6).toFixed(0)} MB)`, report.export],
        ['verify offline (the export)', report.verifyOffline],
      ] as const
    ).map(([step, t]) => ({
      step,
      seconds: Number(t.seconds.toFixed(2)),
      'events/s': t.eventsPerSecond,
      'CPU s node / pg': cpu(t),
    })),
  );
  writeResults('ledger.json', {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    node: process.version,
    ...report,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
