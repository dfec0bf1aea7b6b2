import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type KMSClient } from '@aws-sdk/client-kms';
import { sha256Hex } from '../../src/auth/bearer-tokens';
import { pause, writeAliasTimeline } from '../support/alias-timeline';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';
import { queryApi } from '../support/query-client';

const OTHER_TOKEN = 'other-account-bearer-token-3f9c0a7e51d24b68';
const OTHER = {
  accessKeyId: 'AKIAOTHERACCOUNT0001',
  secretAccessKey: 'other-secret-access-key-00000000000000',
  accountId: '444455556666',
  arn: 'arn:aws:iam::444455556666:user/Auditor',
  userName: 'Auditor',
  bearerTokenSha256: sha256Hex(OTHER_TOKEN),
};
/** A principal of the test account that only a browser uses: a bearer token, no signing. */
const BROWSER_TOKEN = 'browser-bearer-token-7d1e4c9b22a04f31';
const BROWSER = {
  accessKeyId: 'AKIABROWSERPRINCIPAL',
  secretAccessKey: 'browser-secret-access-key-000000000000',
  accountId: TEST_CREDENTIALS.accountId,
  arn: `arn:aws:iam::${TEST_CREDENTIALS.accountId}:user/Dashboard`,
  userName: 'Dashboard',
  bearerTokenSha256: sha256Hex(BROWSER_TOKEN).toUpperCase(), // either case is accepted
};

const get = queryApi;

describe('the REST query API: aliases at a point in time', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let keys: string[];
  let moments: Date[];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-principals-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(
      file,
      // The test credentials come as the bootstrap principal; the file adds another account's, and a
      // bearer-only one of the test account.
      JSON.stringify({ principals: [OTHER, BROWSER] }),
    );
    kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    client = kms.client();
    ({ keys, moments } = await writeAliasTimeline(client));
    // Wait until the projection has caught up with the deletion (generously: CI machines are shared).
    for (let i = 0; i < 1000; i++) {
      const { body } = await get(kms.url, '/api/regions/us-west-2/alias/history?name=alias/finance');
      if (body.versions?.[1]?.validTo) break;
      await pause();
    }
  });
  afterAll(() => kms.close());

  it('answers which key an alias pointed to at each moment, and the position it reflects', async () => {
    const at = async (i: number) =>
      get(kms.url, `/api/regions/us-west-2/alias?name=alias/finance&at=${moments[i]!.toISOString()}`);
    expect((await at(0)).status).toBe(404);
    const first = await at(1);
    expect(first.status).toBe(200);
    expect(first.body.alias).toMatchObject({ aliasName: 'alias/finance', targetKeyId: keys[0], version: 1 });
    expect(first.body.position).toMatch(/^\d{20}:\d{19}$/);
    expect((await at(2)).body.alias).toMatchObject({ targetKeyId: keys[1], version: 2 });
    expect((await at(3)).status).toBe(404);
  });

  it('lists every alias of the Region at T, AWS managed ones included, page by page', async () => {
    const all: string[] = [];
    let token: string | null = null;
    do {
      const query: string = `at=${moments[2]!.toISOString()}&limit=5${token ? `&nextToken=${token}` : ''}`;
      const { status, body } = await get(kms.url, `/api/regions/us-west-2/aliases?${query}`);
      expect(status).toBe(200);
      expect(body.aliases.length).toBeLessThanOrEqual(5);
      all.push(...body.aliases.map((a: { aliasName: string }) => a.aliasName));
      token = body.nextToken;
    } while (token);
    expect(all).toContain('alias/finance');
    expect(all).toContain('alias/ops');
    expect(all).toContain('alias/aws/s3');
    expect(all).toEqual([...all].sort());
  });

  it('shows an alias history with who changed it, from which key to which', async () => {
    const { body } = await get(kms.url, '/api/regions/us-west-2/alias/history?name=alias/finance');
    expect(body.versions.map((v: any) => [v.targetKeyId, v.endedReason])).toEqual([
      [keys[0], 'retargeted'],
      [keys[1], 'deleted'],
    ]);
    expect(body.versions[0].startedBy).toMatchObject({
      eventName: 'CreateAlias',
      userIdentity: { accountId: TEST_CREDENTIALS.accountId, userName: 'admin' },
    });
    expect(body.versions[1].endedBy).toMatchObject({ eventName: 'DeleteAlias' });
  });

  it("shows a key's aliases at T and over time", async () => {
    const onKey1 = async (i: number) =>
      (await get(kms.url, `/api/regions/us-west-2/keys/${keys[1]}/aliases?at=${moments[i]!.toISOString()}`)).body;
    expect((await onKey1(1)).aliases).toEqual([]);
    expect((await onKey1(2)).aliases.map((a: any) => a.aliasName)).toEqual(['alias/finance']);
    const history = (await get(kms.url, `/api/regions/us-west-2/keys/${keys[0]}/history`)).body;
    expect(history.versions.map((v: any) => [v.aliasName, v.endedReason])).toEqual([['alias/finance', 'retargeted']]);
  });

  it('says what changed between two times', async () => {
    const { status, body } = await get(
      kms.url,
      `/api/regions/us-west-2/diff?from=${moments[1]!.toISOString()}&to=${moments[3]!.toISOString()}`,
    );
    expect(status).toBe(200);
    expect(body.changes).toEqual([
      { aliasName: 'alias/finance', before: keys[0], after: null },
      { aliasName: 'alias/ops', before: null, after: keys[2] },
    ]);
    expect(body.position).toMatch(/^\d{20}:\d{19}$/);
  });

  it("shows a caller only its own account's aliases", async () => {
    const { status, body } = await get(kms.url, '/api/regions/us-west-2/alias/history?name=alias/finance', {
      credentials: OTHER,
    });
    expect(status).toBe(200);
    expect(body.versions).toEqual([]);
    const list = await get(kms.url, '/api/regions/us-west-2/aliases', { credentials: OTHER });
    expect(list.body.aliases).toEqual([]);
  });

  it('answers 401 to unsigned and wrongly signed requests, 400 to bad parameters', async () => {
    expect((await get(kms.url, '/api/regions/us-west-2/aliases', { sign: false })).status).toBe(401);
    const forged = await get(kms.url, '/api/regions/us-west-2/aliases', {
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret' },
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('InvalidSignatureException');
    expect((await get(kms.url, '/api/regions/us-west-2/aliases?at=yesterday')).status).toBe(400);
    expect((await get(kms.url, '/api/regions/us-west-2/aliases?limit=1001')).status).toBe(400);
    expect((await get(kms.url, '/api/regions/us-west-2/alias?name=finance')).status).toBe(400);
    expect((await get(kms.url, '/api/regions/Mars/aliases')).status).toBe(400);
    expect((await get(kms.url, '/api/regions/us-west-2/diff')).status).toBe(400);
    expect((await get(kms.url, '/api/regions/us-west-2/keys/alias%2Ffinance/history')).status).toBe(400);
  });

  it('accepts a bearer token configured for a principal, scoped to that principal’s account', async () => {
    const mine = await get(kms.url, '/api/regions/us-west-2/alias/history?name=alias/finance', {
      bearer: BROWSER_TOKEN,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.versions.map((v: any) => v.targetKeyId)).toEqual([keys[0], keys[1]]);
    const other = await get(kms.url, '/api/regions/us-west-2/alias/history?name=alias/finance', {
      bearer: OTHER_TOKEN,
    });
    expect(other.status).toBe(200);
    expect(other.body.versions).toEqual([]);
  });

  it('answers 401 to an unknown or wrong bearer token, and to the stored digest used as a token', async () => {
    for (const bearer of ['not-a-configured-token', `${BROWSER_TOKEN}x`, BROWSER.bearerTokenSha256.toLowerCase()]) {
      const { status, body } = await get(kms.url, '/api/regions/us-west-2/aliases', { bearer });
      expect(status).toBe(401);
      expect(body).toEqual({
        error: {
          code: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        },
      });
    }
  });

  it('keeps the KMS API on SigV4: a bearer token is no credential there', async () => {
    const response = await fetch(`${kms.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.ListAliases',
        authorization: `Bearer ${BROWSER_TOKEN}`,
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe('IncompleteSignatureException');
  });
});
