import { CreateKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import { waitForRecords } from '../support/cloudtrail-records';
import { consoleKms, consoleSession, consoleSignOut } from '../support/console-client';
import { ADMIN, REGION, alice, arn, startConsoleApp } from '../support/console-principals';
import type { KmsTestApp } from '../support/kms-test-app';

/**
 * KMS calls made with a console session (issue 15), on two instances: as the session's principal,
 * with the CSRF token and the Region named, its policies applying with AWS's messages, records that
 * say they came from the console, the query APIs read with the session, and many calls racing a
 * sign-out.
 */
describe('console calls', () => {
  let kms: KmsTestApp;
  let url: string;

  beforeAll(async () => {
    kms = await startConsoleApp();
    url = kms.url;
  });
  afterAll(async () => {
    await kms?.close();
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
