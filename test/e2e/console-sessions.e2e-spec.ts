import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { waitForRecords } from '../support/cloudtrail-records';
import {
  type ConsoleSession,
  consoleKms,
  consoleSession,
  consoleSessionInfo,
  consoleSignIn,
  consoleSignOut,
} from '../support/console-client';
import { ACCOUNT, ADMIN, BOB_TOKEN, REGION, alice, bob, startConsoleApp } from '../support/console-principals';
import type { KmsTestApp } from '../support/kms-test-app';

/**
 * Console sign-in and sessions (issue 15) over real HTTP, on two service instances that share the
 * database: keys or a bearer token, the session cookie, ConsoleLogin records, sign-out everywhere,
 * expiry, and the sign-in limits. The calls made with a session: console-calls.e2e-spec.ts.
 */
describe('console sessions', () => {
  let kms: KmsTestApp;
  let url: string;

  beforeAll(async () => {
    kms = await startConsoleApp();
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

  it("refuses a sign-in another site's page could send, and ends the session a new sign-in replaces", async () => {
    const form = await fetch(`${url}/console/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(ADMIN).toString(),
    });
    expect([form.status, form.headers.get('set-cookie')]).toEqual([415, null]);
    const crossSite = await fetch(`${url}/console/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      body: JSON.stringify(ADMIN),
    });
    expect([crossSite.status, ((await crossSite.json()) as { error: { code: string } }).error.code]).toEqual([
      403,
      'CrossSiteRequest',
    ]);
    const first = await consoleSession(url, ADMIN);
    const again = await fetch(`${url}/console/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin', cookie: first.cookie },
      body: JSON.stringify(ADMIN),
    });
    expect(again.status).toBe(200);
    expect((await consoleSessionInfo(url, first.cookie)).status).toBe(401);
    expect((await consoleSessionInfo(url, again.headers.get('set-cookie')!.split(';')[0]!)).status).toBe(200);
    // A second session cookie planted beside a real one: neither is believed, and sign-in says why.
    const planted = `${first.cookie}; ${(await consoleSession(url, ADMIN)).cookie}`;
    expect((await consoleSessionInfo(url, planted)).status).toBe(401);
    const twice = await fetch(`${url}/console/api/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: planted },
      body: JSON.stringify(ADMIN),
    });
    expect([twice.status, ((await twice.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      'DuplicateSessionCookie',
    ]);
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
});
