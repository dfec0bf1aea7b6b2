import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import { sha256Hex } from '../../src/auth/bearer-tokens';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { waitForRecords } from '../support/cloudtrail-records';
import {
  type ConsoleSession,
  consoleKms,
  consoleSession,
  consoleSessionInfo,
  consoleSignIn,
  consoleSignOut,
} from '../support/console-client';
import { TEST_CREDENTIALS } from '../support/test-app';

const ACCOUNT = TEST_CREDENTIALS.accountId;
const REGION = 'us-west-2';
const arn = (resource: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:${resource}`;
const ADMIN = { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: TEST_CREDENTIALS.secretAccessKey };
const BOB_TOKEN = 'bob-console-bearer-token-0123456789abcdef';

const alice = {
  accessKeyId: 'AKIAALICECONSOLE0001',
  secretAccessKey: 'alice-console-secret-access-key-000000000',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
  userName: 'Alice',
  policies: [
    { Statement: { Effect: 'Allow', Action: ['kms:*', 'cloudtrail:LookupEvents'], Resource: '*' } },
    { Statement: { Effect: 'Deny', Action: 'kms:CreateAlias', Resource: arn('alias/locked-*') } },
  ],
};
const bob = {
  accessKeyId: 'AKIABOBCONSOLE000001',
  secretAccessKey: 'bob-console-secret-access-key-0000000000',
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/Bob`,
  userName: 'Bob',
  bearerTokenSha256: sha256Hex(BOB_TOKEN),
};

/**
 * The console's server side (issue 15, design §10) over real HTTP, on two service instances that
 * share the database: sign-in with keys or a bearer token, the session cookie, CSRF, expiry,
 * sign-out everywhere, the sign-in limits, and KMS calls made as the session's principal, with
 * its policies and a record that says it came from the console.
 */
describe('console sessions', () => {
  let kms: KmsTestApp;
  let url: string;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-console-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [alice, bob] }));
    kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20' }, 2);
    url = kms.url;
  });
  afterAll(async () => {
    await kms?.close();
  });

  it('signs in with an access key: an HttpOnly, SameSite=Strict cookie, and nothing secret in the answer', async () => {
    const answer = await consoleSignIn(url, ADMIN);
    expect(answer.status).toBe(200);
    const cookie = answer.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^aliastrail_console=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(answer.body).toEqual({
      principal: { arn: `arn:aws:iam::${ACCOUNT}:user/admin`, accountId: ACCOUNT, userName: 'admin' },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
      idleSeconds: 3600,
      absoluteSeconds: 43200,
    });
    const sessionId = cookie.split(';')[0]!.split('=')[1]!;
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain(sessionId);
    expect(text).not.toContain(ADMIN.secretAccessKey);
    // The database keeps a digest of the id, never the id.
    const { rows } = await kms.database.pool.query<{ id: string }>(
      "SELECT encode(id_sha256, 'hex') AS id, access_key_id FROM console_sessions",
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(sessionId);
    expect(JSON.stringify(rows)).not.toContain(Buffer.from(sessionId).toString('hex'));
  });

  it('signs in with a bearer token as its principal', async () => {
    const session = await consoleSession(url, { bearerToken: BOB_TOKEN });
    const info = await consoleSessionInfo(url, session.cookie);
    expect(info.status).toBe(200);
    expect(info.body!.principal).toEqual({ arn: bob.arn, accountId: ACCOUNT, userName: 'Bob' });
    expect(info.body!.csrfToken).toBe(session.csrfToken);
  });

  it('refuses wrong credentials and malformed sign-ins', async () => {
    const wrong = await consoleSignIn(url, {
      accessKeyId: bob.accessKeyId,
      secretAccessKey: 'not-bob-secret-0000000000',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      error: { code: 'AuthenticationFailed', message: expect.stringMatching(/^Failed authentication/) },
    });
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await consoleSignIn(url, { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' })).status).toBe(401);
    expect((await consoleSignIn(url, { bearerToken: 'no-such-token' })).status).toBe(401);
    // Neither kind of lookup reaches the other: an access key id spelled as a bearer lookup is no key.
    expect((await consoleSignIn(url, { accessKeyId: `Bearer ${BOB_TOKEN}`, secretAccessKey: 'x' })).status).toBe(401);
    for (const body of [
      {},
      { accessKeyId: bob.accessKeyId },
      { bearerToken: 7 },
      { bearerToken: BOB_TOKEN, extra: 1 },
      [],
    ]) {
      const answer = await consoleSignIn(url, body as Record<string, unknown>);
      expect([answer.status, (answer.body!.error as { code: string }).code]).toEqual([400, 'ValidationError']);
    }
  });

  it('makes KMS calls as the session principal, with the CSRF token and the Region named', async () => {
    const session = await consoleSession(url, ADMIN);
    const created = await consoleKms(url, session, 'CreateKey', { Description: 'made in the console' });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const keyId = (created.body!.KeyMetadata as { KeyId: string }).KeyId;
    expect(
      (await consoleKms(url, session, 'CreateAlias', { AliasName: 'alias/console-made', TargetKeyId: keyId })).status,
    ).toBe(200);
    // The same key and alias through the API, signed by the same principal: one account, one Region.
    const listed = await kms.client({ region: REGION }).send(new ListAliasesCommand({ KeyId: keyId }));
    expect(listed.Aliases!.map((a) => a.AliasName)).toEqual(['alias/console-made']);
    // AWS's own errors, as the API gives them.
    const again = await consoleKms(url, session, 'CreateAlias', {
      AliasName: 'alias/console-made',
      TargetKeyId: keyId,
    });
    expect([again.status, again.body]).toEqual([
      400,
      {
        __type: 'AlreadyExistsException',
        message: `An alias with the name ${arn('alias/console-made')} already exists`,
      },
    ]);
    // Another Region is another set of keys.
    const elsewhere = await consoleKms(url, session, 'ListAliases', { KeyId: keyId }, 'eu-central-1');
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body!.__type).toBe('NotFoundException');
  });

  it('refuses a console call without its CSRF token, session or Region, and changes nothing', async () => {
    const session = await consoleSession(url, ADMIN);
    const before = await kms.client({ region: REGION }).send(new ListAliasesCommand({}));
    const noToken = await consoleKms(url, { cookie: session.cookie, csrfToken: null }, 'CreateKey', {});
    expect([noToken.status, (noToken.body!.error as { code: string }).code]).toEqual([403, 'InvalidCsrfToken']);
    const otherToken = await consoleKms(
      url,
      { cookie: session.cookie, csrfToken: `${session.csrfToken.slice(1)}A` },
      'CreateKey',
      {},
    );
    expect(otherToken.status).toBe(403);
    const noSession = await consoleKms(url, { csrfToken: session.csrfToken }, 'CreateKey', {});
    expect([noSession.status, (noSession.body!.error as { code: string }).code]).toEqual([401, 'SessionRequired']);
    const noRegion = await consoleKms(url, session, 'CreateKey', {}, null);
    expect([noRegion.status, (noRegion.body!.error as { code: string }).code]).toEqual([400, 'InvalidRegion']);
    expect((await consoleKms(url, session, 'CreateKey', {}, 'us-west-2; drop')).status).toBe(400);
    const after = await kms.client({ region: REGION }).send(new ListAliasesCommand({}));
    expect(after.Aliases).toEqual(before.Aliases);
    const { rows } = await kms.database.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM events WHERE type = 'KeyCreated' AND metadata->>'sessionCredentialFromConsole' IS NOT NULL AND metadata->>'requestId' IS NULL",
    );
    expect(rows[0]!.n).toBe(0);
  });

  it("applies the principal's policies, with AWS's message, and records console calls as CloudTrail does", async () => {
    const keyId = (await kms.client({ region: REGION }).send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const session = await consoleSession(url, {
      accessKeyId: alice.accessKeyId,
      secretAccessKey: alice.secretAccessKey,
    });
    const denied = await consoleKms(url, session, 'CreateAlias', { AliasName: 'alias/locked-one', TargetKeyId: keyId });
    expect([denied.status, denied.body]).toEqual([
      400,
      {
        __type: 'AccessDeniedException',
        message: `User: ${alice.arn} is not authorized to perform: kms:CreateAlias on resource: ${arn('alias/locked-one')} with an explicit deny in an identity-based policy`,
      },
    ]);
    expect(
      (await consoleKms(url, session, 'CreateAlias', { AliasName: 'alias/alice-console', TargetKeyId: keyId })).status,
    ).toBe(200);

    const trail = kms.trail({ region: REGION, accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey });
    const records = (await waitForRecords(trail, 'CreateAlias', 2)).map(
      (e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>,
    );
    const byAlias = (name: string) =>
      records.find((r) => (r.requestParameters as { aliasName?: string } | null)?.aliasName === name)!;
    for (const record of [byAlias('alias/locked-one'), byAlias('alias/alice-console')]) {
      expect(record.sessionCredentialFromConsole).toBe('true');
      expect(record.userAgent).toBe('aliastrail-console (test-browser/1.0)');
      expect(record.userIdentity).toMatchObject({
        type: 'IAMUser',
        arn: alice.arn,
        accessKeyId: alice.accessKeyId,
        sessionContext: {
          attributes: {
            mfaAuthenticated: 'false',
            creationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
          },
        },
      });
      expect(Object.keys(record).at(-1)).toBe('sessionCredentialFromConsole');
    }
    expect(byAlias('alias/locked-one').errorCode).toBe('AccessDeniedException');
  });

  it('records every sign-in of a principal as CloudTrail ConsoleLogin, success and failure, without a secret', async () => {
    const carol = { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey };
    const session = await consoleSession(url, carol);
    expect((await consoleSignIn(url, { ...carol, secretAccessKey: 'wrong-alice-secret-000000' })).status).toBe(401);
    const trail = kms.trail({ region: 'us-east-1', ...carol });
    // Newest first: this test's failure and success, then the earlier sign-ins of Alice.
    const records = (await waitForRecords(trail, 'ConsoleLogin', 2)).filter((e) => e.Username === 'Alice');
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(new Set(records.map((e) => `${e.EventSource} ${e.ReadOnly}`))).toEqual(
      new Set(['signin.amazonaws.com false']),
    );
    const [failure, success] = records.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
    expect(success).toEqual({
      eventVersion: '1.08',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAALICECONSOLE0001',
        arn: alice.arn,
        accountId: ACCOUNT,
        accessKeyId: alice.accessKeyId,
        userName: 'Alice',
      },
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      eventSource: 'signin.amazonaws.com',
      eventName: 'ConsoleLogin',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      userAgent: 'test-browser/1.0',
      requestParameters: null,
      responseElements: { ConsoleLogin: 'Success' },
      additionalEventData: { LoginTo: `${url}/console`, MobileVersion: 'No', MFAUsed: 'No' },
      eventID: expect.any(String),
      readOnly: false,
      eventType: 'AwsConsoleSignIn',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
    });
    expect(failure).toMatchObject({
      errorMessage: 'Failed authentication',
      responseElements: { ConsoleLogin: 'Failure' },
    });
    // By source: the sign-ins are signin.amazonaws.com's only; KMS's records are not among them.
    const bySource = async (source: string) =>
      (
        await trail.send(
          new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: source }] }),
        )
      ).Events!.map((e) => e.EventName);
    expect(new Set(await bySource('signin.amazonaws.com'))).toEqual(new Set(['ConsoleLogin']));
    expect(await bySource('kms.amazonaws.com')).not.toContain('ConsoleLogin');
    // Not in the Region the console was used in.
    expect(
      (
        await kms.trail({ region: REGION, ...carol }).send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ConsoleLogin' }],
          }),
        )
      ).Events,
    ).toEqual([]);
    // No secret, token or session id anywhere in the log.
    const { rows } = await kms.database.pool.query<{ text: string }>(
      'SELECT string_agg(data::text || metadata::text, $$ $$) AS text FROM events',
    );
    for (const secret of [
      alice.secretAccessKey,
      bob.secretAccessKey,
      BOB_TOKEN,
      ADMIN.secretAccessKey,
      session.cookie.split('=')[1]!,
      session.csrfToken,
    ])
      expect(rows[0]!.text).not.toContain(secret);
  });

  it('reads the query APIs with the session: a GET with the cookie, anything else with the CSRF token too', async () => {
    const session = await consoleSession(url, ADMIN);
    const rest = await fetch(`${url}/api/regions/${REGION}/audit-events?limit=1`, {
      headers: { cookie: session.cookie },
    });
    expect(rest.status).toBe(200);
    const query = JSON.stringify({ query: `{ aliases(region: "${REGION}", first: 50) { nodes { aliasName } } }` });
    const post = (headers: Record<string, string>) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session.cookie, ...headers },
        body: query,
      });
    expect((await post({})).status).toBe(403);
    const read = await post({ 'x-csrf-token': session.csrfToken });
    expect(read.status).toBe(200);
    const { data } = (await read.json()) as { data: { aliases: { nodes: { aliasName: string }[] } } };
    expect(data.aliases.nodes.map((n) => n.aliasName)).toContain('alias/console-made');
    // A cookie of no live session is no caller, and a signature still wins over a cookie.
    const unknown = await fetch(`${url}/api/regions/${REGION}/audit-events`, {
      headers: { cookie: `aliastrail_console=${'A'.repeat(43)}` },
    });
    expect(unknown.status).toBe(401);
  });

  it('ends a session everywhere at sign-out, and only with its CSRF token', async () => {
    const session = await consoleSession(url, ADMIN);
    const [first, second] = kms.urls as [string, string];
    expect((await consoleSessionInfo(second, session.cookie)).status).toBe(200);
    const forged = await consoleSignOut(first, { cookie: session.cookie, csrfToken: null });
    expect(forged.status).toBe(403);
    expect((await consoleSessionInfo(first, session.cookie)).status).toBe(200);
    const out = await consoleSignOut(first, session);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toBe('aliastrail_console=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
    for (const instance of [first, second]) {
      expect((await consoleSessionInfo(instance, session.cookie)).status).toBe(401);
      expect((await consoleKms(instance, session, 'ListKeys', {})).status).toBe(401);
    }
    // Signing out again, or without a session, is harmless.
    expect((await consoleSignOut(second, session)).status).toBe(204);
  });

  it('expires a session after an hour unused, and after twelve hours in all', async () => {
    const idle = await consoleSession(url, ADMIN);
    const old = await consoleSession(url, ADMIN);
    const age = async (session: ConsoleSession, set: string) => {
      const id = session.cookie.split('=')[1]!;
      await kms.database.pool.query(
        `UPDATE console_sessions SET ${set} WHERE id_sha256 = sha256(convert_to($1, 'UTF8'))`,
        [id],
      );
    };
    await age(idle, "created_at = now() - interval '2 hours', last_seen_at = now() - interval '61 minutes'");
    // Used five minutes ago, but begun more than twelve hours ago.
    await age(old, "created_at = now() - interval '12 hours 1 second', last_seen_at = now() - interval '5 minutes'");
    for (const session of [idle, old]) {
      expect((await consoleSessionInfo(url, session.cookie)).status).toBe(401);
      expect((await consoleKms(url, session, 'ListKeys', {})).status).toBe(401);
    }
    // One used within the hour lives on, and its use restarts the hour.
    const fresh = await consoleSession(url, ADMIN);
    await age(fresh, "created_at = now() - interval '3 hours', last_seen_at = now() - interval '59 minutes'");
    expect((await consoleSessionInfo(url, fresh.cookie)).status).toBe(200);
    const { rows } = await kms.database.pool.query<{ idle: number }>(
      "SELECT extract(epoch FROM now() - last_seen_at)::int AS idle FROM console_sessions WHERE id_sha256 = sha256(convert_to($1, 'UTF8'))",
      [fresh.cookie.split('=')[1]!],
    );
    expect(rows[0]!.idle).toBeLessThan(60);
  });

  it('limits sign-in attempts per access key, right or wrong, on each instance', async () => {
    const [, second] = kms.urls as [string, string];
    const attempts = [];
    for (let i = 0; i < 10; i++)
      attempts.push(
        (await consoleSignIn(second, { accessKeyId: bob.accessKeyId, secretAccessKey: `wrong-${i}` })).status,
      );
    expect(attempts).toEqual(Array(10).fill(401));
    const right = await consoleSignIn(second, { accessKeyId: bob.accessKeyId, secretAccessKey: bob.secretAccessKey });
    expect([right.status, (right.body!.error as { code: string }).code]).toEqual([429, 'ThrottlingException']);
    expect(right.headers.get('set-cookie')).toBeNull();
  });

  it('serves one session from many concurrent calls on both instances, and refuses every call made after sign-out', async () => {
    const session = await consoleSession(url, ADMIN);
    const keyId = (await kms.client({ region: REGION }).send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const calls = Array.from({ length: 24 }, (_, i) =>
      consoleKms(kms.urls[i % 2]!, session, 'CreateAlias', { AliasName: `alias/concurrent-${i}`, TargetKeyId: keyId }),
    );
    expect((await Promise.all(calls)).map((a) => a.status)).toEqual(Array(24).fill(200));
    // Calls racing the sign-out: each either ran (200) or was refused (401), and none started after
    // the sign-out was answered ran.
    let signedOutAt = Infinity;
    const racing = Array.from({ length: 40 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 2));
      const startedAt = performance.now();
      const answer = await consoleKms(kms.urls[i % 2]!, session, 'ListAliases', { KeyId: keyId });
      return { startedAt, status: answer.status };
    });
    const signOut = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect((await consoleSignOut(kms.urls[1]!, session)).status).toBe(204);
      signedOutAt = performance.now();
    })();
    const results = await Promise.all(racing);
    await signOut;
    expect(results.every((r) => r.status === 200 || r.status === 401)).toBe(true);
    expect(results.filter((r) => r.startedAt > signedOutAt && r.status !== 401)).toEqual([]);
    expect(results.some((r) => r.status === 401)).toBe(true);
  });
});
