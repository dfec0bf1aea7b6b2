import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { type Kysely, sql } from 'kysely';
import { Client } from 'pg';
import { createKysely, createPool } from '../../src/database/create-database';
import type { Database } from '../../src/database/database.types';
import { EventStore } from '../../src/event-store/event-store';
import { auditRows, foldAudit } from '../support/audit-fold';
import { sleep } from '../support/events';
import { type FaultPostgres, startFaultPostgres } from '../support/fault-postgres';
import { graphql } from '../support/graphql-client';
import { queryHeaders, signedGet } from '../support/query-client';
import { dumpTable, foldCurrent, foldTemporal } from '../support/rebuild-folds';
import { waitForProjections, wholeLog } from '../support/rebuild-log';
import { type ServiceProcess, ensureBuilt, startServiceProcess } from '../support/service-process';
import { TEST_CREDENTIALS } from '../support/test-app';
import { type WriteOutcome, startWriteLoad } from '../support/write-load';

/** Short timeouts, so that each fault outlasts them within a test's time. */
const SERVICE_ENV = {
  LOG_LEVEL: 'warn',
  ALIASTRAIL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  ALIASTRAIL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  ALIASTRAIL_ACCOUNT_ID: TEST_CREDENTIALS.accountId,
  ALIASTRAIL_IDLE_TX_TIMEOUT_MS: '1000',
  ALIASTRAIL_STATEMENT_TIMEOUT_MS: '2000',
  ALIASTRAIL_LOCK_TIMEOUT_MS: '500',
  ALIASTRAIL_DB_CONNECT_TIMEOUT_MS: '1000',
  ALIASTRAIL_POLL_INTERVAL_MS: '50',
  ALIASTRAIL_LEDGER_DIGEST_EVENTS: '200',
};

interface HealthSample {
  readonly at: number;
  readonly status: number;
  readonly ms: number;
  readonly body: string;
}

interface Scene {
  readonly pg: FaultPostgres;
  readonly services: ServiceProcess[];
  readonly url: string;
  readonly health: HealthSample[];
}

interface Report {
  readonly outcomes: WriteOutcome[];
  readonly health: HealthSample[];
  /** From the fault's end (the database back, the lock gone) to the first acknowledged write after it. */
  readonly recoveryMs: number | undefined;
}

describe('database faults under load: the service survives, loses nothing, and resumes by itself', () => {
  let pg: FaultPostgres;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    ensureBuilt();
    pg = await startFaultPostgres();
  }, 240_000);
  afterAll(async () => {
    console.log(`fault figures: ${JSON.stringify(figures, null, 1)}`);
    await pg?.close();
  });

  /**
   * Two instances on a fresh database of the fault cluster, 16 writers spread over them, a health
   * poller on each; `fault` runs under load and returns when the fault ended; then every check.
   * `killed` instances are not expected to survive.
   */
  async function underLoad(
    name: string,
    fault: (scene: Scene) => Promise<{ endedAt: number; killed?: number[] }>,
  ): Promise<Report> {
    await pg.query('postgres', `CREATE DATABASE faults_${name}`);
    const url = pg.urlOf(`faults_${name}`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `aliastrail-faults-${name}-`));
    const env = {
      ...SERVICE_ENV,
      DATABASE_URL: url,
      ALIASTRAIL_DATA_DIR: dataDir,
      ALIASTRAIL_LEDGER_KEY_FILE: path.join(dataDir, 'ledger.pem'),
    };
    const services = [await startServiceProcess(env), await startServiceProcess(env)];
    const pool = createPool(url, { max: 4, idleTransactionTimeoutMs: 30_000 });
    const db = createKysely(pool);
    try {
      const keys = await createKeys(services[0]!.url, 60);
      const health: HealthSample[] = [];
      const polling = services.map((service) => pollHealth(service, health));
      const load = startWriteLoad({ urls: services.map((s) => s.url), keys, prefix: name });
      await sleep(1000);
      const { endedAt, killed = [] } = await fault({ pg, services, url, health });
      // Load goes on until a write succeeds after the fault, and a little longer.
      for (let i = 0; i < 200 && !load.outcomes.some((o) => o.status === 'ok' && o.at > endedAt); i++) await sleep(50);
      await sleep(1000);
      const outcomes = await load.stop();
      polling.forEach((poller) => poller.stop());
      await Promise.all(polling.map((poller) => poller.done));

      const survivors = services.filter((_, i) => !killed.includes(i));
      for (const service of survivors)
        expect({ alive: service.alive(), output: service.output() }).toMatchObject({ alive: true });
      expect(outcomes.filter((o) => o.status === 'ok').length).toBeGreaterThan(50);
      await checkNothingLostOrDuplicated(db, outcomes);
      await checkProjectionsEqualTheLog(new EventStore(pool, db), db);
      await checkLedgerVerifies(db, survivors[0]!.url);
      for (const service of survivors) expect(await service.stop()).toBe(0);
      const firstAfter = outcomes.filter((o) => o.status === 'ok' && o.at > endedAt).map((o) => o.at);
      const recoveryMs = firstAfter.length > 0 ? Math.min(...firstAfter) - endedAt : undefined;
      figures[name] = {
        ok: outcomes.filter((o) => o.status === 'ok').length,
        refused: countBy(outcomes.filter((o) => o.status === 'refused')),
        unanswered: countBy(outcomes.filter((o) => o.status === 'unanswered')),
        recoveryMs,
        callMaxMs: Math.max(...outcomes.map((o) => o.ms)),
        healthMaxMs: Math.max(...health.map((h) => h.ms)),
        health503: health.filter((h) => h.status === 503).length,
      };
      return { outcomes, health, recoveryMs };
    } finally {
      await Promise.all(services.map((s) => s.stop()));
      await db.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }

  it('the database stopped (immediate shutdown) under load and started again', async () => {
    let down = 0;
    let whileDownAnswers: Record<string, unknown> = {};
    const report = await underLoad('stopped', async ({ pg, services }) => {
      await pg.stopImmediately();
      down = Date.now();
      await sleep(500);
      whileDownAnswers = await queryApisWhileDown(services[0]!.url);
      await sleep(2500);
      await pg.start();
      return { endedAt: Date.now() };
    });
    const whileDown = report.health.filter((h) => h.at > down + 200 && h.at < down + 2800);
    expect(whileDown.length).toBeGreaterThan(2);
    expect(whileDown.every((h) => h.status === 503)).toBe(true);
    expect(Math.max(...report.health.map((h) => h.ms))).toBeLessThan(1000);
    // Writes while it was down failed fast with KMS's retryable error, not a hang.
    const failed = report.outcomes.filter((o) => o.status === 'unanswered');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((o) => o.code === 'DependencyTimeoutException')).toBe(true);
    expect(report.recoveryMs).toBeLessThan(2000);
    // Every API says so in its own shape, as a retryable 503; /metrics still answers.
    expect(whileDownAnswers).toEqual({
      rest: { status: 503, body: { error: { code: 'ServiceUnavailable', message: expect.any(String) } } },
      graphql: { status: 503, code: 'SERVICE_UNAVAILABLE' },
      lookupEvents: { status: 503, name: 'ServiceUnavailable' },
      metrics: { status: 200, connectionsLost: true },
    });
  });

  it('every session of the service terminated under load, twice', async () => {
    const report = await underLoad('terminated', async ({ pg }) => {
      expect(await pg.terminateServiceSessions()).toBeGreaterThan(0);
      await sleep(500);
      await pg.terminateServiceSessions();
      return { endedAt: Date.now() };
    });
    expect(report.recoveryMs).toBeLessThan(2000);
  });

  it('the database paused past the idle-transaction timeout and the read deadline, then resumed', async () => {
    let paused = 0;
    const report = await underLoad('paused', async ({ pg }) => {
      pg.pause();
      paused = Date.now();
      await sleep(10_000);
      pg.resume();
      return { endedAt: Date.now() };
    });
    const whilePaused = report.health.filter((h) => h.at > paused + 500 && h.at < paused + 9500);
    expect(whilePaused.length).toBeGreaterThan(2);
    expect(whilePaused.every((h) => h.status === 503 && h.ms < 1000)).toBe(true);
    // No call waited for the whole pause: the read deadline (statement timeout 2 s + 2 s) ended it,
    // or the connect timeout (1 s), or both for a write queued behind one that met the deadline.
    expect(Math.max(...report.outcomes.map((o) => o.ms))).toBeLessThan(8000);
    const failed = report.outcomes.filter((o) => o.status !== 'ok');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((o) => o.code === 'DependencyTimeoutException')).toBe(true);
    // The first write after the pause waits for the calls in flight when it ended to finish or meet
    // the statement timeout (2 s here), while both instances catch up (projections, the ledger's
    // sequencer, the recorder's held records) on a 2-core machine: 2.4-3.2 s on the development
    // machine (the same at the commit before issue 13), 0.4-0.5 s in an earlier run.
    expect(report.recoveryMs).toBeLessThan(5000);
  });

  it('one service instance paused past its idle-transaction timeout, then resumed', async () => {
    const report = await underLoad('service_paused', async ({ services }) => {
      services[0]!.signal('SIGSTOP');
      await sleep(3000);
      services[0]!.signal('SIGCONT');
      return { endedAt: Date.now() };
    });
    expect(report.recoveryMs).toBeLessThan(2000);
  });

  it('kill -9 of one of two instances under load', async () => {
    await underLoad('killed', async ({ services }) => {
      services[1]!.signal('SIGKILL');
      await sleep(1000);
      return { endedAt: Date.now(), killed: [1] };
    });
  });

  it('a lock that blocks inserts into events: writes fail fast and retryable, health says so, then all resumes', async () => {
    let locked = 0;
    const report = await underLoad('locked', async ({ url }) => {
      const client = new Client({ connectionString: url });
      client.on('error', () => undefined);
      await client.connect();
      await client.query('BEGIN');
      await client.query('LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE');
      locked = Date.now();
      await sleep(3000);
      await client.query('COMMIT');
      await client.end();
      return { endedAt: Date.now() };
    });
    const whileLocked = report.health.filter((h) => h.at > locked + 300 && h.at < locked + 2700);
    expect(whileLocked.length).toBeGreaterThan(2);
    expect(whileLocked.every((h) => h.status === 503 && h.body.includes('"writes":{"status":"down"'))).toBe(true);
    const failed = report.outcomes.filter((o) => o.status === 'unanswered');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((o) => o.code === 'DependencyTimeoutException')).toBe(true);
    expect(report.recoveryMs).toBeLessThan(2000);
  });
});

/** What the query APIs and /metrics answer while the database is down. */
async function queryApisWhileDown(url: string): Promise<Record<string, unknown>> {
  const rest = await signedGet(url, '/api/regions/us-west-2/aliases');
  // Two fields, two errors: mercurius answers 200 for several errors unless told their status.
  const gql = await graphql(
    url,
    '{ a: aliases(region: "us-west-2", first: 10) { nodes { aliasName } } b: aliases(region: "eu-west-1", first: 10) { nodes { aliasName } } }',
  );
  const trail = new CloudTrailClient({
    region: 'us-west-2',
    endpoint: url,
    maxAttempts: 1,
    credentials: TEST_CREDENTIALS,
  });
  const lookup = await trail.send(new LookupEventsCommand({})).then(
    () => ({ status: 200, name: 'none' }),
    (error: { name: string; $metadata?: { httpStatusCode?: number } }) => ({
      status: error.$metadata?.httpStatusCode,
      name: error.name,
    }),
  );
  trail.destroy();
  const metrics = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2000) });
  const text = await metrics.text();
  return {
    rest: { status: rest.status, body: await rest.json() },
    graphql: { status: gql.status, code: gql.body?.errors?.[0]?.extensions?.code },
    lookupEvents: lookup,
    metrics: { status: metrics.status, connectionsLost: /aliastrail_database_connections_lost [1-9]/.test(text) },
  };
}

async function createKeys(url: string, count: number): Promise<string[]> {
  const client = new KMSClient({ region: 'us-west-2', endpoint: url, credentials: TEST_CREDENTIALS });
  try {
    const keys: string[] = [];
    for (let i = 0; i < count; i++) keys.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    return keys;
  } finally {
    client.destroy();
  }
}

function pollHealth(service: ServiceProcess, samples: HealthSample[]) {
  let running = true;
  const done = (async () => {
    while (running) {
      const started = Date.now();
      try {
        const response = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(5000) });
        const body = await response.text();
        samples.push({ at: started, status: response.status, ms: Date.now() - started, body });
      } catch {
        // a paused or killed instance does not answer: that is not the health check's doing
      }
      await sleep(200);
    }
  })();
  return { done, stop: () => (running = false) };
}

/** Acknowledged: in the log once. Refused: absent. Unanswered: wholly there (event and models) or wholly absent. */
async function checkNothingLostOrDuplicated(db: Kysely<Database>, outcomes: readonly WriteOutcome[]): Promise<void> {
  const { rows: created } = await sql<{ name: string; n: number }>`
    SELECT data->>'aliasName' AS name, count(*)::int AS n FROM events WHERE type = 'AliasCreated' GROUP BY 1`.execute(
    db,
  );
  const events = new Map(created.map((r) => [r.name, r.n]));
  // The temporal model, kept by a projection after the commit: a write wholly present is there too.
  await waitForProjections(db, ['temporal', 'audit']);
  const { rows: known } = await sql<{ alias_name: string }>`SELECT alias_name FROM temporal_alias_ids`.execute(db);
  const temporal = new Set(known.map((r) => r.alias_name));
  const problems: string[] = [];
  for (const { alias, status, code } of outcomes) {
    const n = events.get(alias) ?? 0;
    if (n > 1) problems.push(`${alias}: created ${n} times`);
    if (status === 'ok' && n !== 1) problems.push(`${alias}: acknowledged, but ${n} events`);
    if (status === 'refused' && n !== 0) problems.push(`${alias}: refused (${code}), but in the log`);
    if ((n === 1) !== temporal.has(alias))
      problems.push(`${alias}: ${n} events but the temporal model says ${temporal.has(alias)}`);
  }
  expect(problems).toEqual([]);
}

async function checkProjectionsEqualTheLog(store: EventStore, db: Kysely<Database>): Promise<void> {
  await waitForProjections(db, ['temporal', 'audit']);
  const log = await wholeLog(store, db);
  const current = foldCurrent(log);
  const temporal = foldTemporal(log);
  expect(await dumpTable(db, 'kms_keys', 'account_id, region, key_id')).toEqual(current.keys);
  expect(await dumpTable(db, 'kms_aliases', 'account_id, region, alias_name')).toEqual(current.aliases);
  expect(await dumpTable(db, 'temporal_alias_ids', 'alias_id')).toEqual(temporal.ids);
  expect(await dumpTable(db, 'temporal_alias_versions', 'alias_id, version')).toEqual(temporal.versions);
  expect(await auditRows(db)).toEqual(foldAudit(log));
}

async function checkLedgerVerifies(db: Kysely<Database>, serviceUrl: string): Promise<void> {
  for (let i = 0; ; i++) {
    const { rows } = await sql<{ behind: boolean }>`
      SELECT (SELECT count(*) FROM events) > (SELECT ledger_seq FROM ledger_state) AS behind`.execute(db);
    if (!rows[0]!.behind) break;
    if (i > 600) throw new Error('the ledger never caught up');
    await sleep(50);
  }
  const url = new URL('/admin/ledger/verify', serviceUrl);
  const response = await fetch(url, { method: 'POST', headers: await queryHeaders('POST', url, {}, undefined, {}) });
  const report = (await response.json()) as { ok: boolean; firstBad: unknown };
  expect({ status: response.status, ok: report.ok, firstBad: report.firstBad }).toEqual({
    status: 200,
    ok: true,
    firstBad: null,
  });
}

function countBy(outcomes: readonly WriteOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o.code ?? '?'] = (counts[o.code ?? '?'] ?? 0) + 1;
  return counts;
}
