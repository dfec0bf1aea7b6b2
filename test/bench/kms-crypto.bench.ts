import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { KMS_CALL_RECORDED } from '../../src/audit/kms-call-recorded';
import type { BenchDatabase } from './bench-database';
import { type RunningService, startAliastrail, startBareCrypto, startMoto } from './bench-services';
import { type CpuMeter, type Measurement, measure } from './measure';
import { serverCpu } from './service-cpu';
import { SignedKmsClient } from './signed-client';

const CREDENTIALS = {
  accessKeyId: 'AKIABENCHBENCHBENCH0',
  secretAccessKey: 'bench-secret-bench-secret-bench-secret00',
  accountId: '123456789012',
};
/** A Region of its own: the KMS API part runs on the same database before this one. */
const REGION = 'us-east-2';
const ALIAS = 'alias/bench/crypto';
const CONCURRENCY = [1, 8, 32];
const PLAINTEXT = randomBytes(1024).toString('base64');
const OPERATIONS = ['Encrypt', 'Decrypt', 'GenerateDataKey'] as const;
/** How often the audit trail is polled after a measurement: the resolution of the times after it. */
const POLL_MS = 5;
const WAIT_AFTER_MS = 30_000;

type Operation = (typeof OPERATIONS)[number];

/** How aliastrail's audit trail kept up with one measurement's calls. */
export interface AuditPace {
  /** Calls answered, warm-up included: each one a KmsCallRecorded event to write. */
  readonly calls: number;
  /** KmsCallRecorded events appended per second during the timed part. */
  readonly recordsPerSecond: number;
  /** From each record's making (occurred_at, as the call is answered) to its insert (recorded_at). */
  readonly recordLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** From the end of the load until every call's record was in `events`; undefined: not within 30 s. */
  readonly drainedAfterMs: number | undefined;
  /** From the end of the load until the audit projection's checkpoint covered the last record. */
  readonly projectedAfterMs: number | undefined;
  /** Events of other types appended meanwhile: each would have been a write on a caller's path. */
  readonly otherEvents: number;
}

export interface KmsCryptoRow {
  readonly operation: Operation;
  readonly clients: number;
  readonly aliastrail: Measurement;
  readonly moto: Measurement;
  readonly bare: Measurement;
  readonly audit: AuditPace;
}

export interface KmsCryptoReport {
  readonly rows: KmsCryptoRow[];
  /** Events other than KmsCallRecorded appended from the first crypto measurement to the last. */
  readonly otherEventsAppended: number;
}

/**
 * Encrypt of 1 KB through an alias, Decrypt of a ciphertext made once (no KeyId: the ciphertext
 * names its key) and GenerateDataKey (AES_256, through the alias), SigV4-signed over HTTP at 1, 8
 * and 32 clients, against aliastrail, moto_server and the bare crypto server, with the CPU each
 * cost per call, and how aliastrail's audit trail kept up with each of its measurements.
 */
export async function benchKmsCrypto(
  database: BenchDatabase,
  seconds: number,
  log: (line: string) => void,
): Promise<KmsCryptoReport> {
  const services: RunningService[] = [];
  const pg = new Pool({ connectionString: database.url, max: 1 });
  try {
    const aliastrail = await startAliastrail(database.url, CREDENTIALS);
    services.push(aliastrail);
    const moto = await startMoto();
    services.push(moto);
    const bare = await startBareCrypto(database.url, CREDENTIALS, ALIAS);
    services.push(bare);
    const client = (service: RunningService) => new SignedKmsClient(service.url, CREDENTIALS, REGION);
    log('setting up aliastrail, moto and the bare server: one key and its alias each');
    const calls = {
      aliastrail: await setUp(client(aliastrail), true),
      moto: await setUp(client(moto), true),
      bare: await setUp(client(bare), false),
    };
    const partStart = await lastPosition(pg);
    const rows: KmsCryptoRow[] = [];
    for (const clients of CONCURRENCY) {
      for (const operation of OPERATIONS) {
        const { measurement, audit } = await measureWithAudit(
          pg,
          aliastrail,
          clients,
          seconds,
          calls.aliastrail[operation],
        );
        rows.push({
          operation,
          clients,
          aliastrail: measurement,
          moto: await measure(clients, seconds, calls.moto[operation], serverCpu(moto, pg)),
          bare: await measure(clients, seconds, calls.bare[operation], serverCpu(bare, pg)),
          audit,
        });
      }
      log(`measured ${clients} client(s)`);
    }
    return { rows, otherEventsAppended: (await eventsSince(pg, partStart)).others };
  } finally {
    for (const service of services.reverse()) await service.stop();
    await pg.end();
  }
}

/** One key and its alias (the bare server makes its own), a ciphertext to decrypt, and the three calls. */
async function setUp(kms: SignedKmsClient, createKey: boolean): Promise<Record<Operation, () => Promise<unknown>>> {
  if (createKey) {
    const { KeyId } = (await kms.call('CreateKey', {}))!.KeyMetadata as { KeyId: string };
    await kms.call('CreateAlias', { AliasName: ALIAS, TargetKeyId: KeyId });
  }
  const { CiphertextBlob } = (await kms.call('Encrypt', { KeyId: ALIAS, Plaintext: PLAINTEXT }))!;
  const decrypted = await kms.call('Decrypt', { CiphertextBlob });
  if (decrypted?.Plaintext !== PLAINTEXT) throw new Error('Decrypt did not give back what was encrypted');
  return {
    Encrypt: () => kms.call('Encrypt', { KeyId: ALIAS, Plaintext: PLAINTEXT }),
    // Through the alias too (the "Decrypt of 1 KB through an alias"): KeyId names it.
    Decrypt: () => kms.call('Decrypt', { CiphertextBlob, KeyId: ALIAS }),
    GenerateDataKey: () => kms.call('GenerateDataKey', { KeyId: ALIAS, KeySpec: 'AES_256' }),
  };
}

/**
 * `measure` of aliastrail, and its audit trail's pace: the records written during the timed part
 * (counted just outside the CPU window), each record's lag, then how long after the load every
 * call's record was in `events` and the audit projection had applied it. The recorder's own
 * figure on /health/ready counts only records whose write failed, so it would show 0 here whatever
 * the backlog: the log itself is read instead.
 */
async function measureWithAudit(
  pg: Pool,
  service: RunningService,
  clients: number,
  seconds: number,
  call: () => Promise<unknown>,
): Promise<{ measurement: Measurement; audit: AuditPace }> {
  const base = await lastPosition(pg);
  let calls = 0;
  let timed = { from: 0, to: 0, endedAt: 0 };
  const meter: CpuMeter = async () => {
    const from = (await eventsSince(pg, base)).records;
    const stopCpu = await serverCpu(service, pg)();
    return async () => {
      const endedAt = performance.now();
      const used = await stopCpu();
      timed = { from, to: (await eventsSince(pg, base)).records, endedAt };
      return used;
    };
  };
  const measurement = await measure(
    clients,
    seconds,
    async () => {
      await call();
      calls += 1;
    },
    meter,
  );
  const drainedAfterMs = await after(timed.endedAt, async () => (await eventsSince(pg, base)).records >= calls);
  const projectedAfterMs = await after(timed.endedAt, () => auditCovers(pg, base));
  const { rows } = await pg.query<{ q: number[] | null; max: number | null }>(
    `SELECT percentile_disc(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY lag) AS q, max(lag) AS max
       FROM (SELECT (extract(epoch FROM recorded_at - occurred_at) * 1000)::float8 AS lag
               FROM events WHERE position > $1 AND type = $2) AS records`,
    [base, KMS_CALL_RECORDED],
  );
  return {
    measurement,
    audit: {
      calls,
      recordsPerSecond: (timed.to - timed.from) / measurement.seconds,
      recordLagMs: { p50: rows[0]?.q?.[0] ?? 0, p99: rows[0]?.q?.[1] ?? 0, max: rows[0]?.max ?? 0 },
      drainedAfterMs,
      projectedAfterMs,
      otherEvents: (await eventsSince(pg, base)).others,
    },
  };
}

/** Milliseconds from `since` until `done` holds, polled every POLL_MS; undefined after WAIT_AFTER_MS. */
async function after(since: number, done: () => Promise<boolean>): Promise<number | undefined> {
  while (performance.now() - since < WAIT_AFTER_MS) {
    if (await done()) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return undefined;
}

const lastPosition = async (pg: Pool) =>
  (await pg.query<{ p: string }>('SELECT coalesce(max(position), 0)::text AS p FROM events')).rows[0]!.p;

/** Counted from `position` on: an index range over the new rows only, cheap enough to poll. */
async function eventsSince(pg: Pool, position: string): Promise<{ records: number; others: number }> {
  const { rows } = await pg.query<{ records: number; others: number }>(
    `SELECT count(*) FILTER (WHERE type = $2)::int AS records, count(*) FILTER (WHERE type <> $2)::int AS others
       FROM events WHERE position > $1`,
    [position, KMS_CALL_RECORDED],
  );
  return rows[0]!;
}

/**
 * Whether the audit projection's checkpoint covers every event after `position`: it applies the log
 * in (transaction id, position) order, so covering the greatest such pair covers them all. No
 * event since: covered; no checkpoint named 'audit' (audit-events.projection.ts): never.
 */
async function auditCovers(pg: Pool, position: string): Promise<boolean> {
  const { rows } = await pg.query<{ covered: boolean | null }>(
    `SELECT (c.transaction_id, c.position) >= (e.transaction_id, e.position) AS covered
       FROM (SELECT transaction_id, position FROM events WHERE position > $1
              ORDER BY transaction_id DESC, position DESC LIMIT 1) AS e
       LEFT JOIN projection_checkpoints c ON c.name = 'audit'`,
    [position],
  );
  return rows.length === 0 || rows[0]!.covered === true;
}
