import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BearerTokenIssuer } from '../../src/bearer-tokens/bearer-token-issuer';
import { cliActor } from '../../src/bearer-tokens/token-actors';
import { adminCall } from '../support/admin-tokens-client';
import { signedGet } from '../support/query-client';
import { TEST_CREDENTIALS, createTestApp } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const ACCOUNT = TEST_CREDENTIALS.accountId;
const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:user/admin`;
const principal = (name: string, accessKeyId: string, statements: unknown[]) => ({
  accessKeyId,
  secretAccessKey: `${name.toLowerCase()}-secret-access-key-0000000000000000`,
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  userName: name,
  policies: [{ Version: '2012-10-17', Statement: statements }],
});
const READ = { Effect: 'Allow', Action: 'aliastrail:Read*', Resource: '*' };
const alice = principal('Alice', 'AKIAALICETOKENS00001', [
  READ,
  {
    Effect: 'Allow',
    Action: ['aliastrail:CreateToken', 'aliastrail:ListTokens', 'aliastrail:RevokeToken'],
    Resource: `arn:aws:iam::${ACCOUNT}:user/Alice`,
  },
]);
const auditor = principal('Auditor', 'AKIAAUDITORTOKENS001', [READ]);
// Allowed to make tokens for the admin's ARN only: no use, since a token is always the caller's own.
const mallory = principal('Mallory', 'AKIAMALLORYTOKENS001', [
  READ,
  { Effect: 'Allow', Action: 'aliastrail:CreateToken', Resource: ADMIN_ARN },
]);

/** Who may make, list and revoke bearer tokens over /admin/tokens: IAM-style policies on the caller's own ARN. */
describe('issued bearer tokens and policies', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 4 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-token-policies-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [alice, auditor, mallory] }));
    // Beside the file's principals, the test app's bootstrap principal: the admin, without policies.
    app = await createTestApp(database.url, { ALIASTRAIL_PRINCIPALS_FILE: file });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const denial = (who: { arn: string }, action: string) => ({
    error: {
      code: 'AccessDeniedException',
      message: `User: ${who.arn} is not authorized to perform: ${action} on resource: ${who.arn} because no identity-based policy allows the ${action} action`,
    },
  });

  it('refuses the actions to a principal no policy allows them, on its own ARN', async () => {
    const id = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    expect(await adminCall(url, 'POST', '/admin/tokens', { credentials: auditor, json: {} })).toMatchObject({
      status: 403,
      body: denial(auditor, 'aliastrail:CreateToken'),
    });
    expect(await adminCall(url, 'GET', '/admin/tokens', { credentials: auditor })).toMatchObject({
      status: 403,
      body: denial(auditor, 'aliastrail:ListTokens'),
    });
    expect(await adminCall(url, 'DELETE', `/admin/tokens/${id}`, { credentials: auditor })).toMatchObject({
      status: 403,
      body: denial(auditor, 'aliastrail:RevokeToken'),
    });
    expect(await adminCall(url, 'POST', '/admin/tokens', { credentials: mallory, json: {} })).toMatchObject({
      status: 403,
      body: denial(mallory, 'aliastrail:CreateToken'),
    });
  });

  it('lets an allowed principal make, use, list and revoke its own tokens, and only those', async () => {
    const made = await adminCall(url, 'POST', '/admin/tokens', { credentials: alice, json: { description: 'mine' } });
    expect(made).toMatchObject({ status: 201, body: { accessKeyId: alice.accessKeyId, createdBy: alice.arn } });
    const token: string = made.body.token;
    expect((await signedGet(url, '/api/regions/us-west-2/aliases', { bearer: token })).status).toBe(200);
    // The token acts as Alice, with her policies: it may make a token too.
    const second = await adminCall(url, 'POST', '/admin/tokens', { bearer: token, json: {} });
    expect(second.status).toBe(201);
    const byAdmin = await adminCall(url, 'POST', '/admin/tokens', { credentials: TEST_CREDENTIALS, json: {} });
    expect(byAdmin.status).toBe(201);

    const alices = await adminCall(url, 'GET', '/admin/tokens', { bearer: token });
    expect(alices.body.tokens.map((t: any) => t.tokenId).sort()).toEqual(
      [made.body.tokenId, second.body.tokenId].sort(),
    );
    const admins = await adminCall(url, 'GET', '/admin/tokens', { credentials: TEST_CREDENTIALS });
    expect(admins.body.tokens.map((t: any) => t.tokenId)).toEqual([byAdmin.body.tokenId]);

    // The admin cannot revoke Alice's token over the API (the CLI can): it is not the admin's.
    const foreign = await adminCall(url, 'DELETE', `/admin/tokens/${made.body.tokenId}`, {
      credentials: TEST_CREDENTIALS,
    });
    expect(foreign.status).toBe(404);
    expect((await signedGet(url, '/api/regions/us-west-2/aliases', { bearer: token })).status).toBe(200);
    // A token may revoke itself; then it is refused at once on this instance.
    const own = await adminCall(url, 'DELETE', `/admin/tokens/${made.body.tokenId}`, { bearer: token });
    expect(own).toMatchObject({ status: 200, body: { status: 'revoked', revokedBy: alice.arn } });
    expect((await signedGet(url, '/api/regions/us-west-2/aliases', { bearer: token })).status).toBe(401);
  });

  it('gives a token made for a principal (by the CLI) that principal’s policies, no more', async () => {
    const issuer = app.get(BearerTokenIssuer);
    const { token } = await issuer.create(auditor, { description: 'for a dashboard' }, cliActor('ops'));
    expect((await signedGet(url, '/api/regions/us-west-2/aliases', { bearer: token })).status).toBe(200);
    expect(await adminCall(url, 'POST', '/admin/tokens', { bearer: token, json: {} })).toMatchObject({
      status: 403,
      body: denial(auditor, 'aliastrail:CreateToken'),
    });
  });
});
