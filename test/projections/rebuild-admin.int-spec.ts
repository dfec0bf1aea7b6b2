import { SignatureV4 } from '@smithy/signature-v4';
import { sql } from 'kysely';
import { rebuildCommand } from '../../src/cli/rebuild.command';
import { NodeSha256 } from '../../src/auth/sigv4-verifier';
import { loadConfig } from '../../src/config/config';
import { EventStore } from '../../src/event-store/event-store';
import { eventually } from '../support/events';
import { dumpTable } from '../support/rebuild-folds';
import { kmsHistory } from '../support/rebuild-history';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

/** A request signed as awscurl signs it for the service `aliastrail` (or not at all). */
async function call(base: string, method: 'GET' | 'POST', path: string, sign = true) {
  const url = new URL(path, base);
  let headers: Record<string, string> = { host: url.host };
  if (sign) {
    const signer = new SignatureV4({
      credentials: TEST_CREDENTIALS,
      region: 'us-west-2',
      service: 'aliastrail',
      sha256: NodeSha256,
    });
    const request = { method, protocol: 'http:', hostname: url.host, path: url.pathname, headers, body: '' };
    headers = (await signer.sign(request)).headers as Record<string, string>;
  }
  const { host: _host, ...rest } = headers;
  const response = await fetch(url, { method, headers: rest });
  return { status: response.status, body: (await response.json()) as any };
}

const quiet = { info: () => undefined, debug: () => undefined };

describe('rebuilds through the admin API and the CLI', () => {
  let kms: KmsTestApp;

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    const store = new EventStore(kms.database.pool, kms.database.db);
    // Times from now on: the service caps how old an event may be at commit.
    const units = kmsHistory({ seed: 8, units: 600, accountId: '700000000000', start: new Date() });
    for (let u = 0; u < units.length; u += 50) await store.append(units.slice(u, u + 50).flat());
  });
  afterAll(() => kms.close());

  it('POST starts a rebuild (202 and its id), GET shows how it goes until it is swapped in', async () => {
    const versions = () => dumpTable(kms.database.db, 'temporal_alias_versions', 'alias_id, version');
    expect(await eventually(async () => (await versions()).length > 0, 10_000)).toBe(true);
    const started = await call(kms.url, 'POST', '/admin/projections/temporal/rebuild');
    expect(started).toMatchObject({ status: 202, body: { projection: 'temporal', status: 'running' } });
    expect(started.body.rebuildId).toMatch(/^[0-9a-f-]{36}$/);
    let last: any;
    expect(
      await eventually(async () => {
        last = (await call(kms.url, 'GET', '/admin/projections/temporal/rebuild')).body;
        return last.status !== 'running';
      }, 20_000),
    ).toBe(true);
    expect(last).toMatchObject({ rebuildId: started.body.rebuildId, status: 'done', phase: 'swapped', error: null });
    expect(last.eventsDone).toBeGreaterThan(600);
    expect(last.eventsDone).toBe(last.eventsTotal);
  });

  it('answers 401 unsigned, 404 for an unknown projection, 409 while one runs', async () => {
    expect((await call(kms.url, 'POST', '/admin/projections/temporal/rebuild', false)).status).toBe(401);
    expect((await call(kms.url, 'POST', '/admin/projections/nope/rebuild')).status).toBe(404);
    expect((await call(kms.url, 'GET', '/admin/projections/current/rebuild')).status).toBe(404); // none yet
    // Hold the projection's rebuild lock as another instance's rebuild would.
    await kms.database.db.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(hashtextextended('aliastrail:rebuild:current', 0))`.execute(conn);
      const busy = await call(kms.url, 'POST', '/admin/projections/current/rebuild');
      await sql`SELECT pg_advisory_unlock(hashtextextended('aliastrail:rebuild:current', 0))`.execute(conn);
      expect(busy).toMatchObject({ status: 409, body: { error: { code: 'RebuildInProgress' } } });
    });
  });

  it('the CLI rebuilds every projection against DATABASE_URL, with progress on stderr', async () => {
    const before = await dumpTable(kms.database.db, 'kms_aliases', 'account_id, region, alias_name');
    const lines: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string) => lines.push(String(chunk))) as never;
    try {
      await rebuildCommand(['all', '--batch-size', '200'], loadConfig({ DATABASE_URL: kms.database.url }), quiet);
    } finally {
      process.stderr.write = write;
    }
    expect(lines.join('')).toMatch(/current \[#+\] 100% [\d,]+\/[\d,]+ events +[\d,]+ ev\/s +done +swapped/);
    expect(lines.join('')).toMatch(/temporal \[#+\] 100% .* done +swapped/);
    expect(lines.join('')).toMatch(/audit \[#+\] 100% .* done +swapped/);
    expect(await dumpTable(kms.database.db, 'kms_aliases', 'account_id, region, alias_name')).toEqual(before);
    await expect(rebuildCommand(['nope'], loadConfig({ DATABASE_URL: kms.database.url }), quiet)).rejects.toThrow(
      /no projection named nope; known: current, grants, temporal, audit, all/,
    );
  });
});
