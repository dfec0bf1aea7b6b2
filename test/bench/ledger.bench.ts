import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sql } from 'kysely';
import { Client } from 'pg';
import { SystemClock } from '../../src/clock/clock';
import { createKysely, createPool } from '../../src/database/create-database';
import { defaultMigrationsDirectory, runMigrations } from '../../src/database/migrator';
import { LedgerSequencer } from '../../src/ledger/ledger-sequencer';
import { exportLedger } from '../../src/ledger/ledger-export';
import { openSigningKey } from '../../src/ledger/signing-key';
import { EVENT_COLUMNS } from '../../src/ledger/verify/binary-copy/binary-event';
import { copyOut } from '../../src/ledger/verify/binary-copy/copy-out';
import { verifyOffline } from '../../src/ledger/verify/offline-verify';
import { verifyOnline } from '../../src/ledger/verify/online-verify';
import { databaseUrlFor } from '../support/database-url';
import { type CpuSeconds, cpuClock } from './cpu-usage';

export interface LedgerBenchOptions {
  /** Events to chain and verify: the seeded template's, or this many generated when there is none. */
  readonly events: number;
  /** A seeded database to copy (never changed): hist1m, from BENCH_ONLY=history. */
  readonly template: string;
  /** The copy's name; dropped at the end. */
  readonly database: string;
  readonly batchSize: number;
  /** Times verify online runs; the report takes the median. */
  readonly verifyRuns: number;
}

export interface Timed {
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly cpu: CpuSeconds;
}

export interface LedgerBenchReport {
  readonly events: number;
  readonly seqScan: Timed;
  readonly readEvents: Timed;
  readonly sequence: Timed & { readonly digests: number };
  /** The median of the runs. */
  readonly verifyOnline: Timed;
  readonly verifyOnlineRuns: readonly number[];
  readonly export: Timed & { readonly bytes: number };
  readonly verifyOffline: Timed;
}

/**
 * The ledger at size (BENCH_ONLY=ledger): chain a log of a million events with the sequencer, then
 * verify it online and, after an export, offline. Baselines in the same run: a sequential scan of
 * `events` in PostgreSQL, and reading every event into Node as verify reads them (binary COPY),
 * without hashing. CPU seconds: Node's process (worker threads included) and the database's
 * backends; verify's and export's own connections close before the step ends, so their server CPU
 * is not counted there.
 */
export async function benchLedger(
  options: LedgerBenchOptions,
  log: (line: string) => void,
): Promise<LedgerBenchReport> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('BENCH_ONLY=ledger needs DATABASE_URL (a server that holds the seeded template)');
  const url = await copyOrSeed(serverUrl, options, log);
  const pool = createPool(url, { max: 4, idleTransactionTimeoutMs: 600_000, applicationName: 'bench-ledger' });
  const db = createKysely(pool);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-ledger-bench-'));
  try {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(db);
    const events = rows[0]!.n;
    const timed = async <T>(work: () => Promise<T>): Promise<[T, Timed]> => {
      const stop = await cpuClock(pool);
      const started = process.hrtime.bigint();
      const result = await work();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      return [result, { seconds, eventsPerSecond: Math.round(events / seconds), cpu: await stop() }];
    };

    const [, seqScan] = await timed(() => sql`SELECT count(*) FROM events WHERE length(data::text) >= 0`.execute(db));
    log(`baseline: sequential scan of ${events.toLocaleString('en')} events in ${seqScan.seconds.toFixed(1)} s`);
    const [, readEvents] = await timed(() => readAllEvents(url));
    log(`baseline: every event read into Node (binary COPY, no hashing) in ${readEvents.seconds.toFixed(1)} s`);

    const { key } = openSigningKey(path.join(dir, 'ledger-signing-key.pem'), { create: true });
    const sequencer = new LedgerSequencer(db, undefined, new SystemClock(), () => key.signer, {
      pollIntervalMs: 250,
      digestEvery: 10_000,
      batchSize: options.batchSize,
    });
    const [chained, sequence] = await timed(() => sequencer.catchUp());
    log(
      `sequenced ${chained.entries.toLocaleString('en')} events, ${chained.digests} digests, in ${sequence.seconds.toFixed(1)} s`,
    );

    const publicKeys = new Map([[key.fingerprint, key.publicKey]]);
    // Verify is the measure with a target (< 15 s), so it runs several times: on a shared machine one
    // run says as much about the neighbours as about verify. The first also sets the hint bits the
    // sequencer's fresh rows lack, as the first verify after a catch-up does anywhere.
    const verifyRuns: Timed[] = [];
    for (let run = 0; run < options.verifyRuns; run++) {
      const [online, time] = await timed(() => verifyOnline(db, { publicKeys, connectionString: url }));
      if (!online.ok || online.entries !== events)
        throw new Error(`online verify failed: ${JSON.stringify(online.firstBad)}`);
      log(`verified online in ${time.seconds.toFixed(1)} s`);
      verifyRuns.push(time);
    }
    const verifyOnlineTime = [...verifyRuns].sort((a, b) => a.seconds - b.seconds)[Math.floor(verifyRuns.length / 2)]!;

    const exportDir = path.join(dir, 'export');
    const [exported, exportTime] = await timed(() => exportLedger(db, exportDir, { connectionString: url }));
    log(`exported in ${exportTime.seconds.toFixed(1)} s (${(exported.bytes / 1e6).toFixed(0)} MB)`);
    const [offline, verifyOfflineTime] = await timed(() => verifyOffline(exportDir, { publicKeys }));
    if (!offline.ok || offline.entries !== events)
      throw new Error(`offline verify failed: ${JSON.stringify(offline.firstBad)}`);
    log(`verified offline in ${verifyOfflineTime.seconds.toFixed(1)} s`);
    return {
      events,
      seqScan,
      readEvents,
      sequence: { ...sequence, digests: chained.digests },
      verifyOnline: verifyOnlineTime,
      verifyOnlineRuns: verifyRuns.map((t) => Number(t.seconds.toFixed(2))),
      export: { ...exportTime, bytes: exported.bytes },
      verifyOffline: verifyOfflineTime,
    };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
    await admin(serverUrl, `DROP DATABASE IF EXISTS ${options.database} WITH (FORCE)`);
  }
}

/** Every event into Node as verify reads them (binary COPY, ledger-window.ts), without hashing: verify's floor. */
async function readAllEvents(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await copyOut(
      client,
      `COPY (SELECT ${EVENT_COLUMNS} FROM events) TO STDOUT (FORMAT binary)`,
      () => undefined,
    );
  } finally {
    await client.end();
  }
}

/**
 * A copy of the seeded template (CREATE DATABASE … TEMPLATE waits for the template to be free), with
 * the ledger's migration applied to the copy alone; or, without the template, a fresh database
 * with `events` generated in SQL.
 */
async function copyOrSeed(
  serverUrl: string,
  options: LedgerBenchOptions,
  log: (line: string) => void,
): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(options.database) || !/^[a-z_][a-z0-9_]*$/.test(options.template))
    throw new Error('database names must be plain identifiers');
  await admin(serverUrl, `DROP DATABASE IF EXISTS ${options.database} WITH (FORCE)`);
  const url = databaseUrlFor(serverUrl, options.database);
  const templated =
    (await queryOnce(serverUrl, `SELECT 1 FROM pg_database WHERE datname = '${options.template}'`)).length > 0;
  if (templated) {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin(serverUrl, `CREATE DATABASE ${options.database} TEMPLATE ${options.template}`);
        break;
      } catch (error) {
        // "source database is being accessed by other users": someone reads the template right now.
        if ((error as { code?: string }).code !== '55006' || attempt >= 60) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    log(`copied ${options.template} into ${options.database}`);
    // Only the ledger's migration: the template may predate others, and applying those to a million
    // events would be another benchmark.
    if ((await queryOnce(url, `SELECT to_regclass('ledger') AS t`))[0]?.t === null)
      await queryOnce(url, fs.readFileSync(path.join(defaultMigrationsDirectory(), '0011_ledger.sql'), 'utf8'));
    // The history benchmark's service chains part of the template with a key of its own, gone with
    // its data directory: the copy starts its ledger over, so the whole log is chained and verified.
    else {
      await queryOnce(
        url,
        `ALTER TABLE ledger DISABLE TRIGGER USER; ALTER TABLE ledger_digests DISABLE TRIGGER USER;
         TRUNCATE ledger, ledger_digests; DELETE FROM ledger_state; INSERT INTO ledger_state DEFAULT VALUES;
         ALTER TABLE ledger ENABLE TRIGGER USER; ALTER TABLE ledger_digests ENABLE TRIGGER USER`,
      );
      log(`cleared the ledger the copy came with`);
    }
    return url;
  }
  await admin(serverUrl, `CREATE DATABASE ${options.database}`);
  await runMigrations(url);
  log(`no ${options.template}: generating ${options.events.toLocaleString('en')} events in ${options.database}`);
  await queryOnce(
    url,
    `INSERT INTO events (event_id, type, tags, data, metadata, occurred_at)
     SELECT gen_random_uuid(), 'AliasRetargeted', ARRAY['alias:111122223333:us-east-1:alias/a' || (i % 1000)],
            jsonb_build_object('aliasName', 'alias/a' || (i % 1000), 'fromKeyId', md5(i::text), 'toKeyId', md5((i + 1)::text),
                               'accountId', '111122223333', 'region', 'us-east-1'),
            jsonb_build_object('requestId', md5(('r' || i)::text), 'eventName', 'UpdateAlias', 'sourceIPAddress', '10.0.0.1',
                               'userAgent', 'aws-cli/2.17.0', 'userIdentity', jsonb_build_object('type', 'IAMUser', 'arn', 'arn:aws:iam::111122223333:user/ci')),
            timestamptz '2026-01-01' + i * interval '1 second'
       FROM generate_series(1, ${options.events}) AS i`,
  );
  await queryOnce(url, 'VACUUM ANALYZE events');
  return url;
}

async function admin(url: string, text: string): Promise<void> {
  await queryOnce(url, text);
}

async function queryOnce(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}
