import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAliasCommand, CreateKeyCommand, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { graphql } from '../support/graphql-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { queryApi } from '../support/query-client';
import { TEST_CREDENTIALS } from '../support/test-app';
import { clockRequest } from '../support/controllable-clock';

const REGION = 'us-west-2';
const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
/** The same token with one character changed (to one that keeps it base64url). */
const tampered = (token: string, at: number) =>
  token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: any) => ({
      name: error.name as string,
      status: error.$metadata?.httpStatusCode as number,
      message: error.message,
    }),
  );

/**
 * Page tokens of every paginated API, on two instances that share a database and the ledger key
 * file: a token one instance issued pages on the other; a forged, altered, foreign or expired one
 * is a 400 in the API's own shape.
 */
describe('page tokens', () => {
  let kms: KmsTestApp;
  let trail: CloudTrailClient;
  const garbage = ["' OR 1=1--", 'eyJhIjoxfQ', Buffer.from(JSON.stringify({ after: 'alias/a' })).toString('base64url')];

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable', ALIASTRAIL_POLL_INTERVAL_MS: '20' }, 2);
    trail = new CloudTrailClient({
      region: REGION,
      endpoint: kms.urls[1],
      maxAttempts: 1,
      credentials: TEST_CREDENTIALS,
    });
    const client = kms.client();
    const keyId = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateKeyCommand({}));
    for (const name of ['a', 'b', 'c'])
      await client.send(new CreateAliasCommand({ AliasName: `alias/pt-${name}`, TargetKeyId: keyId }));
    for (let i = 0; i < 400; i++) {
      const { body } = await queryApi(kms.url, `/api/regions/${REGION}/aliases?limit=10`);
      const events = await trail.send(new LookupEventsCommand({}));
      if (body.aliases?.length >= 3 && events.Events!.length >= 5) break;
      await pause();
    }
  });
  afterAll(async () => {
    trail?.destroy();
    await kms?.close();
  });

  it('KMS: a marker pages on the other instance; any other marker is InvalidMarkerException', async () => {
    const [first, second] = [kms.client({ instance: 0 }), kms.client({ instance: 1 })];
    const page = await first.send(new ListAliasesCommand({ Limit: 1 }));
    expect(page.Truncated).toBe(true);
    const next = await second.send(new ListAliasesCommand({ Limit: 1, Marker: page.NextMarker }));
    expect(next.Aliases![0]!.AliasName! > page.Aliases![0]!.AliasName!).toBe(true);
    const markers = [
      ...garbage,
      tampered(page.NextMarker!, 3),
      tampered(page.NextMarker!, page.NextMarker!.length - 2),
    ];
    for (const Marker of markers)
      expect(await failure(second.send(new ListAliasesCommand({ Marker })))).toEqual({
        name: 'InvalidMarkerException',
        status: 400,
        message: 'Invalid marker',
      });
    // A ListKeys marker is no ListAliases marker, nor one of another Region.
    const keys = await first.send(new ListKeysCommand({ Limit: 1 }));
    expect((await failure(first.send(new ListAliasesCommand({ Marker: keys.NextMarker })))).name).toBe(
      'InvalidMarkerException',
    );
    const elsewhere = kms.client({ region: 'eu-west-1' });
    expect((await failure(elsewhere.send(new ListKeysCommand({ Marker: keys.NextMarker })))).name).toBe(
      'InvalidMarkerException',
    );
    expect((await second.send(new ListKeysCommand({ Limit: 1, Marker: keys.NextMarker }))).Keys).toHaveLength(1);
  });

  it('LookupEvents: a NextToken pages on the other instance; any other is InvalidNextTokenException', async () => {
    const first = new CloudTrailClient({
      region: REGION,
      endpoint: kms.urls[0],
      maxAttempts: 1,
      credentials: TEST_CREDENTIALS,
    });
    try {
      const page = await first.send(new LookupEventsCommand({ MaxResults: 2 }));
      const next = await trail.send(new LookupEventsCommand({ MaxResults: 2, NextToken: page.NextToken }));
      expect(next.Events!.map((e) => e.EventId)).not.toContain(page.Events![0]!.EventId);
      for (const NextToken of [...garbage, tampered(page.NextToken!, 5)])
        expect(await failure(trail.send(new LookupEventsCommand({ NextToken })))).toEqual({
          name: 'InvalidNextTokenException',
          status: 400,
          message: 'Invalid NextToken.',
        });
      // Bound to its search, as before.
      const other = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'CreateAlias' }] };
      expect((await failure(trail.send(new LookupEventsCommand({ ...other, NextToken: page.NextToken })))).name).toBe(
        'InvalidNextTokenException',
      );
    } finally {
      first.destroy();
    }
  });

  it('REST: nextTokens page on the other instance; forged ones are 400 InvalidNextToken', async () => {
    const aliases = `/api/regions/${REGION}/aliases?limit=1`;
    const page = await queryApi(kms.urls[0]!, aliases);
    const next = await queryApi(kms.urls[1]!, `${aliases}&nextToken=${page.body.nextToken}`);
    expect(next.status).toBe(200);
    expect(next.body.aliases[0].aliasName > page.body.aliases[0].aliasName).toBe(true);
    const audit = `/api/regions/${REGION}/audit-events?limit=1`;
    const auditPage = await queryApi(kms.urls[0]!, audit);
    expect((await queryApi(kms.urls[1]!, `${audit}&nextToken=${auditPage.body.nextToken}`)).status).toBe(200);
    for (const [path, token] of [
      ...garbage.map((t) => [aliases, t]),
      ...garbage.map((t) => [audit, t]),
      [aliases, tampered(page.body.nextToken, 4)],
      [audit, tampered(auditPage.body.nextToken, 4)],
      [aliases, auditPage.body.nextToken], // another listing's token
      [`${audit}&eventName=CreateAlias`, auditPage.body.nextToken], // another search's
    ])
      expect([token, await queryApi(kms.urls[1]!, `${path}&nextToken=${encodeURIComponent(token)}`)]).toEqual([
        token,
        {
          status: 400,
          body: {
            error: {
              code: 'InvalidNextToken',
              message: 'The page token was not issued by this service for this request.',
            },
          },
        },
      ]);
  });

  it('GraphQL: cursors page on the other instance; forged ones are 400 BAD_USER_INPUT', async () => {
    const aliases = `query ($after: String) { aliases(region: "${REGION}", first: 1, after: $after) { nodes { aliasName } pageInfo { endCursor } } }`;
    const audit = `query ($after: String) { auditEvents(region: "${REGION}", first: 1, after: $after) { edges { cursor node { eventId } } } }`;
    const page = await graphql(kms.urls[0]!, aliases);
    const endCursor = page.body.data.aliases.pageInfo.endCursor;
    const next = await graphql(kms.urls[1]!, aliases, { after: endCursor });
    expect(next.body.data.aliases.nodes[0].aliasName > page.body.data.aliases.nodes[0].aliasName).toBe(true);
    const auditCursor = (await graphql(kms.urls[0]!, audit)).body.data.auditEvents.edges[0].cursor;
    expect((await graphql(kms.urls[1]!, audit, { after: auditCursor })).status).toBe(200);
    for (const [query, after] of [
      ...garbage.map((t) => [aliases, t]),
      ...garbage.map((t) => [audit, t]),
      [aliases, tampered(endCursor, 6)],
      [audit, tampered(auditCursor, 6)],
      [aliases, auditCursor],
    ]) {
      const refused = await graphql(kms.urls[1]!, query!, { after });
      expect([after, refused.status, refused.body.errors[0].extensions]).toEqual([
        after,
        400,
        { code: 'BAD_USER_INPUT', reason: 'InvalidCursor' },
      ]);
    }
  });

  it('refuses a token once it is older than 24 hours', async () => {
    const aliases = `/api/regions/${REGION}/aliases?limit=1`;
    const { body } = await queryApi(kms.url, aliases);
    const marker = (await kms.client().send(new ListAliasesCommand({ Limit: 1 }))).NextMarker;
    const advance = await clockRequest(kms.url, 24 * 3600 + 120);
    expect(advance.status).toBe(200);
    expect(await queryApi(kms.url, `${aliases}&nextToken=${body.nextToken}`)).toEqual({
      status: 400,
      body: { error: { code: 'InvalidNextToken', message: 'The page token has expired; start the listing again.' } },
    });
    expect((await failure(kms.client().send(new ListAliasesCommand({ Marker: marker })))).name).toBe(
      'InvalidMarkerException',
    );
  });
});
