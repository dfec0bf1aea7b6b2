import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { type Kysely, sql } from 'kysely';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SystemClock } from '../../src/clock/clock';
import type { Database } from '../../src/database/database.types';
import { LedgerClock } from '../../src/ledger/ledger-clock';
import { LedgerSequencer } from '../../src/ledger/ledger-sequencer';
import { advanceClock } from '../support/controllable-clock';
import { eventually } from '../support/events';
import { queryHeaders } from '../support/query-client';
import { TEST_CREDENTIALS, createTestApp } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';
import { HOUR_MS, ledgerFixture } from './ledger-fixture';

const DAY = 86_400;

/** The digests' and entries' times, in epoch microseconds, in order. */
async function ledgerTimes(db: Kysely<Database>) {
  const micros = (column: string) => sql.raw(`(extract(epoch FROM ${column}) * 1000000)::bigint::text`);
  const digests = await sql<{ reason: string; to_seq: string; signed: string; start: string; end: string }>`
    SELECT reason, to_ledger_seq::text AS to_seq, ${micros('signed_at')} AS signed, ${micros('period_start')} AS start,
           ${micros('period_end')} AS "end"
      FROM ledger_digests ORDER BY digest_seq`.execute(db);
  const entries = await sql<{
    at: string;
  }>`SELECT ${micros('sequenced_at')} AS at FROM ledger ORDER BY ledger_seq`.execute(db);
  return {
    digests: digests.rows.map((d) => ({
      reason: d.reason,
      toSeq: Number(d.to_seq),
      signedAt: Number(d.signed),
      periodStart: Number(d.start),
      periodEnd: Number(d.end),
    })),
    sequencedAt: entries.rows.map((e) => Number(e.at)),
  };
}

/** Every time no later than `now`; signing times never going back; each period starting where the last ended. */
function expectRealAndMonotonic(times: Awaited<ReturnType<typeof ledgerTimes>>, now: number) {
  for (const [i, d] of times.digests.entries()) {
    expect(d.signedAt).toBeLessThanOrEqual(now);
    expect(d.periodEnd).toBeLessThanOrEqual(now);
    if (i === 0) continue;
    const previous = times.digests[i - 1]!;
    expect(d.signedAt).toBeGreaterThanOrEqual(previous.signedAt);
    expect(d.periodStart).toBe(previous.periodEnd);
  }
  for (const at of times.sequencedAt) expect(at).toBeLessThanOrEqual(now);
}

describe('the ledger and the controllable clock', () => {
  let database: TestDatabase;
  let keyDir: string;
  let app: NestFastifyApplication | undefined;
  let url: string;
  let client: KMSClient | undefined;

  const start = async (env: Record<string, string>) => {
    app = await createTestApp(database.url, {
      ALIASTRAIL_LEDGER_KEY_FILE: path.join(keyDir, 'ledger-signing-key.pem'),
      ALIASTRAIL_LEDGER_DIGEST_EVENTS: '2',
      ALIASTRAIL_POLL_INTERVAL_MS: '20',
      ...env,
    });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    client = new KMSClient({ region: 'us-west-2', endpoint: url, maxAttempts: 1, credentials: TEST_CREDENTIALS });
  };
  const stop = async () => {
    client?.destroy();
    await app?.close();
    app = undefined;
  };
  const createKeys = async (n: number) => {
    for (let i = 0; i < n; i++) await client!.send(new CreateKeyCommand({}));
  };
  /** Until every event is chained and every count digest due is signed. */
  const settled = () =>
    eventually(async () => {
      const { rows } = await sql<{ settled: boolean }>`
        SELECT (SELECT count(*) FROM events) = ledger_seq AND ledger_seq - digest_to_seq < 2 AS settled
          FROM ledger_state`.execute(database.db);
      return rows[0]!.settled;
    }, 20_000);
  const verify = async () => {
    const target = new URL('/admin/ledger/verify', url);
    const response = await fetch(target, {
      method: 'POST',
      headers: await queryHeaders('POST', target, {}, undefined, {}),
    });
    return ((await response.json()) as { ok: boolean }).ok;
  };

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 4 });
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-ledger-clock-'));
  });
  afterAll(async () => {
    await stop();
    await database.drop();
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  it('dates digests by the real time while the clock is days ahead, and after a restart on the system clock', async () => {
    await start({ ALIASTRAIL_CLOCK: 'controllable' });
    await createKeys(2);
    expect(await settled()).toBe(true);
    const ahead = await advanceClock(url, 3 * DAY);
    expect(ahead.getTime()).toBeGreaterThan(Date.now() + 2 * DAY * 1000);
    await createKeys(4);
    expect(await settled()).toBe(true);
    const whileAhead = await ledgerTimes(database.db);
    expectRealAndMonotonic(whileAhead, Date.now() * 1000);
    // The events keep the service's time (the KMS API answers with it); only the ledger does not.
    const { rows } = await sql<{ newest: Date }>`SELECT max(occurred_at) AS newest FROM events`.execute(database.db);
    expect(rows[0]!.newest.getTime()).toBeGreaterThan(Date.now() + 2 * DAY * 1000);
    // Count digests were cut after the move, and no hour of the days skipped was closed.
    expect(whileAhead.digests.filter((d) => d.reason === 'count').length).toBeGreaterThanOrEqual(3);
    expect(whileAhead.digests.filter((d) => d.reason === 'hour').length).toBeLessThanOrEqual(1);
    expect(await verify()).toBe(true);

    await stop();
    await start({});
    await createKeys(4);
    expect(await settled()).toBe(true);
    const after = await ledgerTimes(database.db);
    expect(after.digests.length).toBeGreaterThan(whileAhead.digests.length);
    expectRealAndMonotonic(after, Date.now() * 1000);
    expect(await verify()).toBe(true);
  });

  it('keeps the dates of a chain an older version dated ahead until the real time reaches them, and it verifies', async () => {
    const f = await ledgerFixture({ digestEvery: 2 });
    try {
      // An older version, on a clock two hours ahead: the chain's open period starts in the future.
      f.clock.advance(Date.now() - f.clock.now().getTime() + 2 * HOUR_MS);
      await f.appendEach(3);
      await f.chainAll();
      const before = await ledgerTimes(f.database.db);
      const heldAt = before.digests.at(-1)!.periodEnd;
      expect(heldAt).toBeGreaterThan(Date.now() * 1000);

      const real = new LedgerSequencer(
        f.database.db,
        undefined,
        new LedgerClock(new SystemClock()),
        () => f.key.signer,
        {
          pollIntervalMs: 20,
          minIntervalMs: 0,
          digestEvery: 2,
        },
      );
      await f.appendEach(4);
      await f.chainAll(real);
      const after = await ledgerTimes(f.database.db);
      expect(after.digests.length).toBeGreaterThan(before.digests.length);
      // Nothing goes back: new entries and digests are dated at the open period's start, still ahead.
      expect(after.sequencedAt.slice(before.sequencedAt.length)).toEqual(
        Array(after.sequencedAt.length - before.sequencedAt.length).fill(heldAt),
      );
      expect(after.digests.slice(before.digests.length).every((d) => d.signedAt === heldAt)).toBe(true);
      expect((await f.verify()).ok).toBe(true);
    } finally {
      await f.drop();
    }
  });
});
