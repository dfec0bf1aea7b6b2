import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { listCloudTrailFiles } from '../../src/cloudtrail-import/cloudtrail-files';
import { createKysely, createPool } from '../../src/database/create-database';
import { ObservedAccounts } from '../../src/observed-accounts/observed-accounts';
import { TEMPORAL, TemporalAliasesProjection } from '../../src/projections/temporal/temporal-aliases.projection';
import { TemporalAliasesReader } from '../../src/projections/temporal/temporal-aliases.reader';
import type { BenchDatabase } from './bench-database';
import { BENCH_TRAIL, generateTrail } from './cloudtrail-trail-generator';
import { type Latency, sampleLatenciesInTurn } from './latency-samples';

export interface CloudTrailImportReport {
  readonly records: number;
  readonly kmsRecords: number;
  readonly files: number;
  readonly megabytesOnDisk: number;
  readonly baselineRecordsPerSecond: number;
  readonly importRecordsPerSecond: number;
  readonly importCpuSecondsPerMillion: number;
  readonly importPeakRssMb: number;
  readonly foldSeconds: number;
  readonly aliasAtObserved: Latency;
  readonly aliasAtRawSql: Latency;
}

/** Runs `npm run cli -- import cloudtrail <dir>` as a user would (built code), sampling its peak RSS. */
async function importAsCli(
  url: string,
  dir: string,
): Promise<{ seconds: number; cpuSeconds: number; peakRssMb: number }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [path.resolve('dist/src/cli/cli.js'), 'import', 'cloudtrail', dir], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'ignore'],
  });
  let peakKb = 0;
  let cpuTicks = 0;
  const ticksPerSecond = 100;
  const sample = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      const stat = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      cpuTicks = Number(stat[11]) + Number(stat[12]);
    } catch {
      // exited between samples
    }
  };
  const timer = setInterval(sample, 100);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`the import exited with ${code}`);
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    cpuSeconds: cpuTicks / ticksPerSecond,
    peakRssMb: peakKb / 1024,
  };
}

/**
 * Issue 16's import benchmark: a generated trail (BENCH_TRAIL: 1,000,000 records over 90 days, 5
 * accounts, 3 Regions, about 5 % KMS; BENCH_TRAIL_RECORDS for a smaller one) imported by the CLI, beside
 * the baseline of the same run: gunzip and JSON.parse of the same files and nothing else. Then the
 * observed accounts' alias versions are folded (the rebuild's load) and "alias at T" is sampled,
 * beside the raw SQL index lookup it is made of.
 */
export async function benchCloudTrailImport(
  database: BenchDatabase,
  log: (line: string) => void,
): Promise<CloudTrailImportReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-bench-trail-'));
  const shape = { ...BENCH_TRAIL, records: Number(process.env.BENCH_TRAIL_RECORDS ?? BENCH_TRAIL.records) };
  try {
    log(`generating ${shape.records.toLocaleString('en-US')} records…`);
    const trail = generateTrail(dir, shape);
    log(`${trail.files} files, ${(trail.bytes / 1e6).toFixed(0)} MB gzipped, ${trail.kms} KMS records`);

    const files = await listCloudTrailFiles([dir]);
    const baselineStart = process.hrtime.bigint();
    let parsed = 0;
    for (const file of files)
      parsed += (JSON.parse(gunzipSync(fs.readFileSync(file.path)).toString('utf8')) as { Records: unknown[] }).Records
        .length;
    const baselineSeconds = Number(process.hrtime.bigint() - baselineStart) / 1e9;
    if (parsed !== shape.records) throw new Error(`the baseline read ${parsed} records`);

    const run = await importAsCli(database.url, dir);
    const pool = createPool(database.url, { max: 2, idleTransactionTimeoutMs: 600_000 });
    const db = createKysely(pool);
    // As the service wires it: the reader's prepared statements on a pool of their own (GENERIC_PLAN_POOL).
    const genericPlanPool = createPool(database.url, {
      max: 2,
      idleTransactionTimeoutMs: 600_000,
      planCacheMode: 'force_generic_plan',
    });
    try {
      const { rows } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM events WHERE type = 'CloudTrailRecordImported'`.execute(db);
      if (rows[0]!.n !== trail.kms) throw new Error(`imported ${rows[0]!.n} of ${trail.kms} KMS records`);

      // The observed models, as a rebuild's load folds them from every imported record.
      const foldStart = process.hrtime.bigint();
      await db.transaction().execute(async (trx) => {
        const head = await sql<{ transaction_id: string; position: string }>`
          SELECT transaction_id::text, position::text FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1`.execute(
          trx,
        );
        const last = head.rows[0]!;
        await new TemporalAliasesProjection().load(trx, {
          transactionId: BigInt(last.transaction_id),
          position: BigInt(last.position),
        });
        // And records where the model stands, as a rebuild's swap does: without it every answer would
        // look through the first 1,000 events for unapplied ones (a projection that applied nothing).
        await sql`
          INSERT INTO projection_checkpoints (name, transaction_id, position)
          VALUES (${TEMPORAL}, ${last.transaction_id}::xid8, ${last.position}::bigint)
          ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id, position = excluded.position`.execute(
          trx,
        );
      });
      const foldSeconds = Number(process.hrtime.bigint() - foldStart) / 1e9;

      const reader = new TemporalAliasesReader(db, genericPlanPool);
      const observed = new ObservedAccounts(db);
      const start = Date.UTC(2026, 0, 1);
      const pick = (i: number) => {
        const accountId = shape.accounts[Math.abs(i) % shape.accounts.length]!;
        const region = shape.regions[Math.abs(i >> 3) % shape.regions.length]!;
        const at = new Date(start + Math.random() * shape.days * 86_400_000);
        return { scope: { accountId, region }, name: `alias/app-${Math.abs(i * 7) % 20}`, at };
      };
      const { aliasAtObserved, aliasAtRawSql } = await sampleLatenciesInTurn(2000, {
        // What the REST answer reads: whether the account is observed, and the version (its statement
        // also reads the evidence), at once.
        aliasAtObserved: (i) => {
          const { scope, name, at } = pick(i);
          return Promise.all([observed.isObservedNow(scope.accountId), reader.aliasAt(scope, name, at)]);
        },
        aliasAtRawSql: (i) => {
          const { scope, name, at } = pick(i);
          return pool.query(
            `SELECT v.key_id FROM temporal_alias_ids i JOIN LATERAL (
               SELECT key_id, valid_to FROM temporal_alias_versions v WHERE v.alias_id = i.alias_id AND v.valid_from <= $4
                ORDER BY v.valid_from DESC, v.version DESC LIMIT 1) v ON true
              WHERE (i.account_id, i.region, i.alias_name) = ($1, $2, $3)`,
            [scope.accountId, scope.region, name, at],
          );
        },
      });
      return {
        records: shape.records,
        kmsRecords: trail.kms,
        files: trail.files,
        megabytesOnDisk: Math.round(trail.bytes / 1e6),
        baselineRecordsPerSecond: Math.round(shape.records / baselineSeconds),
        importRecordsPerSecond: Math.round(shape.records / run.seconds),
        importCpuSecondsPerMillion: Number(((run.cpuSeconds / shape.records) * 1e6).toFixed(1)),
        importPeakRssMb: Math.round(run.peakRssMb),
        foldSeconds: Number(foldSeconds.toFixed(2)),
        aliasAtObserved,
        aliasAtRawSql,
      };
    } finally {
      await Promise.all([db.destroy(), genericPlanPool.end()]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
