import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { sha256Hex } from '../../src/auth/bearer-tokens';
import { pause } from '../support/alias-timeline';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { ensureBuilt } from '../support/service-process';
import { TEST_CREDENTIALS } from '../support/test-app';

/** The command as `npx aliastrail` runs it once built (bin/aliastrail.js requires this file). */
const ENTRY = path.resolve(__dirname, '../../dist/src/client/aliastrail.js');
const REGION = 'us-west-2';
const ALIAS = 'alias/cli-payments';

const AUDITOR = {
  accessKeyId: 'AKIACLIENTAUDITOR001',
  secretAccessKey: 'client-auditor-secret-access-key-000000',
  accountId: TEST_CREDENTIALS.accountId,
  arn: `arn:aws:iam::${TEST_CREDENTIALS.accountId}:user/Auditor`,
  userName: 'Auditor',
  policies: [
    {
      Statement: {
        Effect: 'Allow',
        Action: ['aliastrail:Read*', 'aliastrail:VerifyLedger', 'aliastrail:*Rebuild'],
        Resource: '*',
      },
    },
  ],
};
const TOKEN = 'client-e2e-bearer-token-5b0e9c2d7a4f4e18';
const DASHBOARD = {
  accessKeyId: 'AKIACLIENTDASHBOARD1',
  secretAccessKey: 'client-dashboard-secret-access-key-0000',
  accountId: TEST_CREDENTIALS.accountId,
  arn: `arn:aws:iam::${TEST_CREDENTIALS.accountId}:user/Dashboard`,
  userName: 'Dashboard',
  bearerTokenSha256: sha256Hex(TOKEN),
};

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Looks like a stack trace: what an operational problem must never print. */
const STACK = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

describe('the aliastrail command (npx aliastrail), against the real service', () => {
  let kms: KmsTestApp;
  let dir: string;
  let keyId: string;
  let created: Date;
  /** Nothing of the developer's own AWS setup: no files, no variables, no instance metadata. */
  let baseEnv: Record<string, string>;
  const withKeys = (keys: { accessKeyId: string; secretAccessKey: string }) => ({
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ALIASTRAIL_ENDPOINT_URL: kms.url,
  });

  /** Runs `node dist/src/client/aliastrail.js …` without blocking the service, which runs in this process. */
  function aliastrail(args: string[], env: Record<string, string> = {}, stdin = ''): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [ENTRY, ...args], { env: { ...baseEnv, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  beforeAll(async () => {
    // npm test has built dist/ already; a test file run alone may compile it first (hence the timeout).
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-client-'));
    baseEnv = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const principals = path.join(dir, 'principals.json');
    fs.writeFileSync(principals, JSON.stringify({ principals: [AUDITOR, DASHBOARD] }));
    kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: principals, ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    const client = kms.client({ region: REGION });
    keyId = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: ALIAS, TargetKeyId: keyId }));
    await pause();
    created = new Date();
    // Seconds, as a user types a time: the alias was created before this second ended.
    created.setUTCSeconds(created.getUTCSeconds() + 1, 0);
  }, 240_000);
  afterAll(async () => {
    await kms?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a GET signed with credentials from the environment, its query unsorted, with : and / as typed', async () => {
    const at = created.toISOString().replace('.000Z', 'Z');
    const run = await aliastrail(
      ['get', `/api/regions/${REGION}/alias?name=${ALIAS}&waitForPosition=latest&at=${at}`],
      withKeys(TEST_CREDENTIALS),
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const answer = JSON.parse(run.stdout);
    expect(answer.alias).toMatchObject({ aliasName: ALIAS, targetKeyId: keyId });
    // Pretty-printed, as JSON.stringify(…, null, 2) prints it.
    expect(run.stdout).toBe(`${JSON.stringify(answer, null, 2)}\n`);
  });

  it('signs with a profile of the shared credentials file, its endpoint and Region from the config file', async () => {
    const credentials = path.join(dir, 'credentials');
    const config = path.join(dir, 'config');
    fs.writeFileSync(
      credentials,
      `[auditor]\naws_access_key_id = ${AUDITOR.accessKeyId}\naws_secret_access_key = ${AUDITOR.secretAccessKey}\n`,
    );
    fs.writeFileSync(config, `[profile auditor]\nregion = eu-central-1\nendpoint_url = ${kms.url}\n`);
    const files = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };
    const history = `/api/regions/${REGION}/alias/history?name=${ALIAS}`;
    const run = await aliastrail(['--profile', 'auditor', 'get', history], files);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout).versions).toEqual([
      expect.objectContaining({ aliasName: ALIAS, targetKeyId: keyId }),
    ]);
    // AWS_PROFILE names it as well; and an admin POST with no body.
    const verify = await aliastrail(['post', '/admin/ledger/verify'], { ...files, AWS_PROFILE: 'auditor' });
    expect(verify).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
    const missing = await aliastrail(['--profile', 'nobody', 'get', history], files);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^aliastrail: the profile nobody is in neither .*\n$/);
  });

  it('answers a GraphQL query, with variables, from the command line or standard input', async () => {
    const query = `query ($name: String!) { alias(region: "${REGION}", name: $name) { alias { aliasName targetKeyId } } }`;
    const run = await aliastrail(
      ['graphql', query, '--variables', JSON.stringify({ name: ALIAS })],
      withKeys(TEST_CREDENTIALS),
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({ data: { alias: { alias: { aliasName: ALIAS, targetKeyId: keyId } } } });
    const piped = await aliastrail(
      ['graphql', '-'],
      withKeys(TEST_CREDENTIALS),
      `{ aliases(region: "${REGION}") { nodes { aliasName } } }`,
    );
    expect(piped.code).toBe(0);
    expect(JSON.parse(piped.stdout).data.aliases.nodes).toContainEqual({ aliasName: ALIAS });
    // A body of one's own, POSTed and signed as it is.
    const bodyFile = path.join(dir, 'graphql.json');
    fs.writeFileSync(
      bodyFile,
      JSON.stringify({ query: `{ alias(region: "${REGION}", name: "${ALIAS}") { aliasName } }` }),
    );
    const posted = await aliastrail(['post', '/graphql', '--body', `@${bodyFile}`], withKeys(TEST_CREDENTIALS));
    expect(posted).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(posted.stdout)).toEqual({ data: { alias: { aliasName: ALIAS } } });
  });

  it('sends a bearer token instead of signing, from --token or ALIASTRAIL_TOKEN', async () => {
    const route = `/api/regions/${REGION}/aliases`;
    const flag = await aliastrail(['--token', TOKEN, '--endpoint-url', kms.url, 'get', route]);
    expect(flag).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(flag.stdout).aliases.map((a: any) => a.aliasName)).toContain(ALIAS);
    const env = await aliastrail(['get', route], { ALIASTRAIL_TOKEN: TOKEN, ALIASTRAIL_ENDPOINT_URL: kms.url });
    expect(env).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(env.stdout).aliases).toEqual(JSON.parse(flag.stdout).aliases);
    const wrong = await aliastrail(['get', route], {
      ALIASTRAIL_TOKEN: 'not-a-token',
      ALIASTRAIL_ENDPOINT_URL: kms.url,
    });
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(wrong.stderr).error.code).toBe('UnrecognizedClientException');
  });

  it("prints the service's error on stderr and exits 1 for a wrong secret, with no stack trace", async () => {
    const run = await aliastrail(
      ['get', `/api/regions/${REGION}/aliases`],
      withKeys({
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        secretAccessKey: 'not-the-secret-access-key-000000000000',
      }),
    );
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(JSON.parse(run.stderr)).toEqual({
      error: {
        code: 'InvalidSignatureException',
        message: expect.stringMatching(/signature we calculated does not match/),
      },
    });
    expect(run.stderr).not.toMatch(STACK);
    // An error of the request itself is the service's too.
    const bad = await aliastrail(['get', `/api/regions/${REGION}/alias?name=x`], withKeys(TEST_CREDENTIALS));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr).error.code).toBe('InvalidAliasName');
  });

  it('says in one line, exit 1, that the service is not reachable, and how to point to it', async () => {
    const port = await closedPort();
    // --endpoint-url wins over ALIASTRAIL_ENDPOINT_URL (set by withKeys to the running service).
    const run = await aliastrail(
      ['--endpoint-url', `http://127.0.0.1:${port}`, 'get', `/api/regions/${REGION}/aliases`],
      withKeys(TEST_CREDENTIALS),
    );
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(
      new RegExp(
        `^aliastrail: the service is not reachable at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\);.*--endpoint-url.*ALIASTRAIL_ENDPOINT_URL\\n$`,
      ),
    );
  });

  it('says in one line when there are no credentials, and exits 2 on a usage error', async () => {
    const none = await aliastrail(['get', `/api/regions/${REGION}/aliases`], { ALIASTRAIL_ENDPOINT_URL: kms.url });
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toMatch(/^aliastrail: no AWS credentials found .*AWS_ACCESS_KEY_ID.*\n$/);
    const usage = await aliastrail(['get', 'api/regions'], withKeys(TEST_CREDENTIALS));
    expect(usage).toMatchObject({ code: 2, stdout: '' });
    expect(usage.stderr).toMatch(/^aliastrail: the path must start with \/.*--help\)\n$/);
    const notJson = await aliastrail(['post', '/admin/ledger/verify', '--body', '{oops'], withKeys(TEST_CREDENTIALS));
    expect(notJson.code).toBe(2);
    const help = await aliastrail(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: aliastrail/);
    expect(help.stdout).toContain("npx aliastrail get '/api/regions/us-east-1/alias?name=alias/payments&at=");
  });

  it('starts a projection rebuild (202) with an admin POST', async () => {
    const auditor = withKeys(AUDITOR);
    const run = await aliastrail(['post', '/admin/projections/temporal/rebuild'], auditor);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ projection: 'temporal', status: 'running' });
    for (let i = 0; i < 400; i++) {
      const status = await aliastrail(['get', '/admin/projections/temporal/rebuild'], auditor);
      if (JSON.parse(status.stdout).status !== 'running') break;
      await pause(50);
    }
  });
});

/** A port nothing listens on (taken, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
