import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newIssuedToken } from '../../src/bearer-tokens/issued-token';
import { TOKEN_CACHE_LIMITS } from '../../src/bearer-tokens/token-cache';
import { adminCall } from '../support/admin-tokens-client';
import { sleep } from '../support/events';
import { signedGet } from '../support/query-client';
import { type ServiceProcess, ensureBuilt, startServiceProcess } from '../support/service-process';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const CLI = path.resolve(__dirname, '../../dist/src/cli/cli.js');
const QUERY = '/api/regions/us-east-1/aliases';
const INVALID = {
  error: { code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
};
/** How long another instance may still take a revoked token: its cache's time, and some slack for a loaded machine. */
const REVOCATION_BOUND_MS = TOKEN_CACHE_LIMITS.usableTtlMs + 1_500;

/**
 * Bearer tokens made while the service runs (issue 17), against two real service processes on one
 * database, started with no credentials configured (so with the generated bootstrap credential),
 * and the compiled CLI: made by `token create` and by POST /admin/tokens, used at once on either
 * instance, revoked, and never written to a log or an event.
 */
describe('issued bearer tokens, end to end', () => {
  let database: TestDatabase;
  let dataDir: string;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let admin: { accessKeyId: string; secretAccessKey: string; accountId: string; arn: string };
  const made: string[] = [];
  let cliToken: { token: string; tokenId: string };
  let apiToken: { token: string; tokenId: string };

  const cli = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [CLI, 'token', ...args],
        {
          timeout: 60_000,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: os.tmpdir(),
            DATABASE_URL: database.url,
            ALIASTRAIL_DATA_DIR: dataDir,
          },
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      ),
    );
  const statusWith = async (service: ServiceProcess, bearer: string) =>
    (await signedGet(service.url, QUERY, { bearer })).status;
  /** Waits until `service` refuses `token`; how long that took. */
  const refusedWithin = async (service: ServiceProcess, token: string) => {
    const start = Date.now();
    while ((await statusWith(service, token)) !== 401) {
      if (Date.now() - start > REVOCATION_BOUND_MS) throw new Error(`still accepted after ${Date.now() - start} ms`);
      await sleep(100);
    }
    return Date.now() - start;
  };

  beforeAll(async () => {
    ensureBuilt();
    database = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-tokens-'));
    const env = { DATABASE_URL: database.url, ALIASTRAIL_DATA_DIR: dataDir, LOG_LEVEL: 'debug' };
    a = await startServiceProcess(env);
    // The second instance finds the credential the first one generated, as a second replica would.
    b = await startServiceProcess(env);
    admin = JSON.parse(fs.readFileSync(path.join(dataDir, 'bootstrap-credentials.json'), 'utf8'));
  }, 300_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await database?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes a token with the CLI for the generated credential, which both instances take at once', async () => {
    const { code, stdout, stderr } = await cli(
      'create',
      '--access-key-id',
      admin.accessKeyId,
      '--description',
      'e2e by the CLI',
      '--expires-in-days',
      '7',
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.stringContaining('only time the token is shown') });
    const answer = JSON.parse(stdout);
    expect(answer).toMatchObject({
      token: expect.stringMatching(/^atk_[A-Za-z0-9_-]{43}$/),
      accessKeyId: admin.accessKeyId,
      description: 'e2e by the CLI',
      status: 'active',
      createdBy: expect.stringMatching(/^cli:/),
      revokedAt: null,
    });
    expect(Date.parse(answer.expiresAt) - Date.parse(answer.createdAt)).toBe(7 * 86_400_000);
    expect(stderr).not.toContain(answer.token);
    cliToken = answer;
    made.push(answer.token);
    expect(await statusWith(b, cliToken.token)).toBe(200);
    expect(await statusWith(a, cliToken.token)).toBe(200);
  });

  it('makes a token over POST /admin/tokens for the signing caller, which the other instance takes at once', async () => {
    const created = await adminCall(a.url, 'POST', '/admin/tokens', {
      credentials: admin,
      json: { description: 'e2e by the API', expiresInDays: 30 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      token: expect.stringMatching(/^atk_/),
      accessKeyId: admin.accessKeyId,
      description: 'e2e by the API',
      status: 'active',
      createdBy: `arn:aws:iam::${admin.accountId}:user/admin`,
    });
    apiToken = created.body;
    made.push(apiToken.token);
    expect(await statusWith(b, apiToken.token)).toBe(200);
    // A token is a credential of the admin routes too: it can make another token, for its own principal.
    const byToken = await adminCall(b.url, 'POST', '/admin/tokens', { bearer: apiToken.token });
    expect(byToken.status).toBe(201);
    expect(byToken.body.accessKeyId).toBe(admin.accessKeyId);
    made.push(byToken.body.token);
  });

  it('lists the caller’s tokens, over the API and the CLI, never showing a token', async () => {
    const listed = await adminCall(b.url, 'GET', '/admin/tokens', { credentials: admin });
    expect(listed.status).toBe(200);
    const ids = listed.body.tokens.map((t: any) => t.tokenId);
    expect(ids).toEqual(expect.arrayContaining([cliToken.tokenId, apiToken.tokenId]));
    expect(listed.body.tokens.every((t: any) => !('token' in t))).toBe(true);
    const { code, stdout } = await cli('list', '--access-key-id', admin.accessKeyId);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^TOKEN ID\s+ACCESS KEY ID\s+STATUS/);
    expect(stdout).toContain(cliToken.tokenId);
    for (const token of made) {
      expect(listed.text).not.toContain(token);
      expect(stdout).not.toContain(token);
    }
  });

  it('revokes over the API: refused at once where revoked, and within the cache time on the other instance', async () => {
    expect(await statusWith(b, apiToken.token)).toBe(200); // b believes it usable now
    const revoked = await adminCall(a.url, 'DELETE', `/admin/tokens/${apiToken.tokenId}`, { credentials: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      tokenId: apiToken.tokenId,
      status: 'revoked',
      revokedBy: expect.stringMatching(/user\/admin$/),
    });
    expect(await statusWith(a, apiToken.token)).toBe(401);
    expect(await refusedWithin(b, apiToken.token)).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    // Again: nothing changes. An unknown or malformed id: not found.
    const again = await adminCall(b.url, 'DELETE', `/admin/tokens/${apiToken.tokenId}`, { credentials: admin });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    for (const id of ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'not-an-id'])
      expect(await adminCall(a.url, 'DELETE', `/admin/tokens/${id}`, { credentials: admin })).toMatchObject({
        status: 404,
        body: { error: { code: 'NotFound', message: 'No token of yours has this id.' } },
      });
  });

  it('revokes with the CLI: both instances refuse it within the cache time', async () => {
    expect(await statusWith(a, cliToken.token)).toBe(200);
    const { code, stdout } = await cli('revoke', cliToken.tokenId);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ tokenId: cliToken.tokenId, status: 'revoked' });
    expect(await refusedWithin(a, cliToken.token)).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
    expect(await refusedWithin(b, cliToken.token)).toBeLessThanOrEqual(REVOCATION_BOUND_MS);
  }, 30_000);

  it('answers malformed, unknown, expired and revoked tokens alike: 401 UnrecognizedClientException', async () => {
    const { stdout } = await cli('create', '--access-key-id', admin.accessKeyId, '--expires-in-days', '1');
    const expiring = JSON.parse(stdout);
    made.push(expiring.token);
    // Expired before its first use (no instance has it cached): as if its day had passed.
    await database.pool.query(
      `UPDATE bearer_tokens SET expires_at = created_at + interval '1 millisecond' WHERE token_id = $1`,
      [expiring.tokenId],
    );
    for (const bearer of ['not-a-token', 'atk_short', newIssuedToken(), expiring.token, apiToken.token]) {
      for (const service of [a, b]) {
        const response = await signedGet(service.url, QUERY, { bearer });
        expect({ bearer, status: response.status, body: await response.json() }).toEqual({
          bearer,
          status: 401,
          body: INVALID,
        });
      }
    }
    const listed = await adminCall(a.url, 'GET', '/admin/tokens', { credentials: admin });
    const statuses = Object.fromEntries(listed.body.tokens.map((t: any) => [t.tokenId, t.status]));
    expect(statuses[expiring.tokenId]).toBe('expired');
    expect(statuses[apiToken.tokenId]).toBe('revoked');
  });

  it('refuses unsigned calls, bad bodies and unknown principals', async () => {
    expect((await adminCall(a.url, 'POST', '/admin/tokens', { json: {} })).status).toBe(401);
    expect((await adminCall(a.url, 'GET', '/admin/tokens')).status).toBe(401);
    for (const json of [{ expiresInDays: 0 }, { expiresIn: 5 }, { description: 'x'.repeat(257) }, [1]]) {
      const answer = await adminCall(a.url, 'POST', '/admin/tokens', { credentials: admin, json });
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'InvalidParameter' } } });
    }
    const unknown = await cli('create', '--access-key-id', 'AKIANOBODYNOBODYNOB0');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no configured principal has the access key id AKIANOBODYNOBODYNOB0');
    expect(unknown.stdout).toBe('');
    const usage = await cli('create');
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('usage: npm run cli -- token create');
  });

  it('writes no token to the logs, the events or the table, and records every creation and revocation', async () => {
    const logs = a.output() + b.output();
    expect(logs).toContain('/admin/tokens'); // the log level shows requests: the check below means something
    const { rows } = await database.pool.query(
      `SELECT type, data::text || metadata::text || array_to_string(tags, ' ') AS text FROM events
        WHERE type IN ('BearerTokenCreated', 'BearerTokenRevoked')`,
    );
    const events = (await database.pool.query(`SELECT data::text || metadata::text AS text FROM events`)).rows
      .map((row) => row.text)
      .join('\n');
    const table = (await database.pool.query(`SELECT t::text AS text FROM bearer_tokens t`)).rows
      .map((r) => r.text)
      .join('\n');
    for (const token of made) {
      expect(logs).not.toContain(token);
      expect(events).not.toContain(token);
      expect(table).not.toContain(token);
    }
    expect(rows.filter((r) => r.type === 'BearerTokenCreated')).toHaveLength(made.length);
    expect(rows.filter((r) => r.type === 'BearerTokenRevoked')).toHaveLength(2);
  });
});
