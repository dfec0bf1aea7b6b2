import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  KMSClient,
  ListAliasesCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { pause } from '../support/alias-timeline';
import { graphql } from '../support/graphql-client';
import { queryApi, queryHeaders } from '../support/query-client';
import { TEST_CREDENTIALS, createTestApp } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const ACCOUNT = TEST_CREDENTIALS.accountId;
const REGION = 'us-west-2';
const arn = (resource: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:${resource}`;

const principal = (name: string, accessKeyId: string, policies: unknown[], accountId: string = ACCOUNT) => ({
  accessKeyId,
  secretAccessKey: `${name.toLowerCase()}-secret-access-key-0000000000000000`,
  accountId,
  arn: `arn:aws:iam::${accountId}:user/${name}`,
  userName: name,
  policies,
});

/**
 * Principals with IAM-style policies, against the real service, the real @aws-sdk/client-kms and the
 * query APIs. The keys are made first by the (unrestricted) bootstrap principal on a first instance,
 * so that the policies of the second can name them.
 */
describe('authorization by IAM-style policies', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let allowed: string;
  let forbidden: string;
  const clients: KMSClient[] = [];
  const client = (who: { accessKeyId: string; secretAccessKey: string }) => {
    const made = new KMSClient({ region: REGION, endpoint: url, maxAttempts: 1, credentials: who });
    clients.push(made);
    return made;
  };
  const admin = () => client(TEST_CREDENTIALS);
  let alice: ReturnType<typeof principal>;
  let auditor: ReturnType<typeof principal>;

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 4 });
    const first = await createTestApp(database.url);
    await first.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(first.getHttpServer().address() as { port: number }).port}`;
    allowed = (await admin().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    forbidden = (await admin().send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (const [name, key] of [
      ['alias/finance-on-forbidden', forbidden],
      ['alias/finance-locked', allowed],
      ['alias/finance-old', allowed],
    ] as const)
      await admin().send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key }));
    clients.splice(0).forEach((c) => c.destroy());
    await first.close();

    alice = principal('Alice', 'AKIAALICEPOLICYTEST1', [
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'kms:*Alias',
            Resource: [arn('alias/finance-*'), arn(`key/${allowed}`)],
          },
          { Effect: 'Allow', Action: ['kms:ListAliases', 'kms:DescribeKey'], Resource: '*' },
        ],
      },
      { Statement: { Effect: 'Deny', Action: 'kms:DeleteAlias', Resource: arn('alias/finance-locked') } },
    ]);
    auditor = principal('Auditor', 'AKIAAUDITORPOLICY001', [
      {
        Statement: [
          { Effect: 'Allow', Action: ['aliastrail:Read*', 'cloudtrail:LookupEvents'], Resource: '*' },
          { Effect: 'Allow', Action: ['kms:List*', 'kms:Describe*'], Resource: '*' },
        ],
      },
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-policies-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [alice, auditor] }));
    app = await createTestApp(database.url, { ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await app?.close();
    await database?.drop();
  });

  const denied = async (promise: Promise<unknown>) => {
    const error = (await promise.then(
      () => undefined,
      (e: unknown) => e,
    )) as { name: string; message: string; $metadata: { httpStatusCode: number } } | undefined;
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.$metadata.httpStatusCode).toBe(400);
    return error!.message;
  };

  it('allows what a policy allows, on the alias and on the key', async () => {
    await client(alice).send(new CreateAliasCommand({ AliasName: 'alias/finance-new', TargetKeyId: allowed }));
    await client(alice).send(new UpdateAliasCommand({ AliasName: 'alias/finance-new', TargetKeyId: allowed }));
    await client(alice).send(new DeleteAliasCommand({ AliasName: 'alias/finance-old' }));
    const listed = await client(alice).send(new ListAliasesCommand({}));
    expect(listed.Aliases!.map((a) => a.AliasName)).toContain('alias/finance-new');
  });

  it("denies by default, in AWS's words, naming the first resource no policy allows", async () => {
    expect(
      await denied(client(alice).send(new CreateAliasCommand({ AliasName: 'alias/ops', TargetKeyId: allowed }))),
    ).toBe(
      `User: ${alice.arn} is not authorized to perform: kms:CreateAlias on resource: ${arn('alias/ops')} because no identity-based policy allows the kms:CreateAlias action`,
    );
    // The alias is allowed, the key is not.
    expect(
      await denied(
        client(alice).send(new CreateAliasCommand({ AliasName: 'alias/finance-x', TargetKeyId: forbidden })),
      ),
    ).toContain(`on resource: ${arn(`key/${forbidden}`)} because`);
    expect(await denied(client(alice).send(new CreateKeyCommand({})))).toContain('kms:CreateKey on resource: *');
  });

  it('checks the key an alias points to now when it is moved or deleted', async () => {
    // Moving to an allowed key is not enough: the alias points to a key Alice may not touch.
    const moved = await denied(
      client(alice).send(new UpdateAliasCommand({ AliasName: 'alias/finance-on-forbidden', TargetKeyId: allowed })),
    );
    expect(moved).toContain(`kms:UpdateAlias on resource: ${arn(`key/${forbidden}`)}`);
    expect(
      await denied(client(alice).send(new DeleteAliasCommand({ AliasName: 'alias/finance-on-forbidden' }))),
    ).toContain(`kms:DeleteAlias on resource: ${arn(`key/${forbidden}`)}`);
  });

  it('lets an explicit Deny win over an Allow', async () => {
    expect(await denied(client(alice).send(new DeleteAliasCommand({ AliasName: 'alias/finance-locked' })))).toBe(
      `User: ${alice.arn} is not authorized to perform: kms:DeleteAlias on resource: ${arn('alias/finance-locked')} with an explicit deny in an identity-based policy`,
    );
    const { Aliases } = await client(auditor).send(new ListAliasesCommand({}));
    expect(Aliases!.map((a) => a.AliasName)).toContain('alias/finance-locked');
  });

  it('lets an auditor read everything of the account and change nothing', async () => {
    await denied(client(auditor).send(new CreateAliasCommand({ AliasName: 'alias/audit', TargetKeyId: allowed })));
    await denied(client(auditor).send(new DeleteAliasCommand({ AliasName: 'alias/finance-locked' })));
    const described = await client(auditor).send(new DescribeKeyCommand({ KeyId: 'alias/finance-locked' }));
    expect(described.KeyMetadata!.KeyId).toBe(allowed);
    const history = await queryApi(url, `/api/regions/${REGION}/alias/history?name=alias/finance-locked`, {
      credentials: auditor,
    });
    expect(history.status).toBe(200);
    const query = `{ alias(region: "${REGION}", name: "alias/finance-locked") { alias { targetKeyId } } }`;
    const read = await graphql(url, query, {}, { credentials: auditor });
    expect(read.body.errors).toBeUndefined();
    // Alice may change aliases but not read their history.
    const refused = await queryApi(url, `/api/regions/${REGION}/alias/history?name=alias/finance-locked`, {
      credentials: alice,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toEqual({
      code: 'AccessDeniedException',
      message: `User: ${alice.arn} is not authorized to perform: aliastrail:ReadHistory on resource: arn:aws:aliastrail:${REGION}:${ACCOUNT}:history because no identity-based policy allows the aliastrail:ReadHistory action`,
    });
    const graphRefused = await graphql(url, query, {}, { credentials: alice });
    expect(graphRefused.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // Nor may the auditor start a rebuild.
    const rebuildUrl = new URL('/admin/projections/temporal/rebuild', url);
    const rebuild = await fetch(rebuildUrl, {
      method: 'POST',
      headers: await queryHeaders('POST', rebuildUrl, {}, '', { credentials: auditor }),
      body: '',
    });
    expect(rebuild.status).toBe(403);
    expect(((await rebuild.json()) as { error: { message: string } }).error.message).toContain(
      `aliastrail:Rebuild on resource: arn:aws:aliastrail::${ACCOUNT}:projection/temporal`,
    );
  });

  it('guards the audit trail with its own actions: aliastrail:ReadAudit and cloudtrail:LookupEvents', async () => {
    const trail = (who: { accessKeyId: string; secretAccessKey: string }) =>
      new CloudTrailClient({ region: REGION, endpoint: url, maxAttempts: 1, credentials: who });
    const lookup = new LookupEventsCommand({ MaxResults: 5 });
    expect((await trail(auditor).send(lookup)).Events).toBeDefined();
    expect(await denied(trail(alice).send(lookup))).toBe(
      `User: ${alice.arn} is not authorized to perform: cloudtrail:LookupEvents on resource: * because no identity-based policy allows the cloudtrail:LookupEvents action`,
    );
    const search = await queryApi(url, `/api/regions/${REGION}/audit-events`, { credentials: alice });
    expect(search.status).toBe(403);
    expect(search.body.error.message).toContain(
      `aliastrail:ReadAudit on resource: arn:aws:aliastrail:${REGION}:${ACCOUNT}:audit`,
    );
    const graph = await graphql(
      url,
      `{ auditEvents(region: "${REGION}") { nodes { eventName } } }`,
      {},
      { credentials: alice },
    );
    expect(graph.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('records every denial in the audit trail, with its error code', async () => {
    let events: { eventName: string; errorCode: string; cloudTrailEvent: Record<string, unknown> }[] = [];
    // LookupEvents is CloudTrail's own call, not a KMS one: it is not in the KMS trail.
    const expected = ['CreateAlias', 'CreateAlias', 'CreateKey', 'DeleteAlias', 'DeleteAlias', 'UpdateAlias'];
    for (let i = 0; i < 400 && events.length < expected.length; i++) {
      const { body } = await queryApi(
        url,
        `/api/regions/${REGION}/audit-events?username=Alice&errorCode=AccessDeniedException`,
        { credentials: auditor },
      );
      events = body.events ?? [];
      await pause(25);
    }
    expect(events.map((e) => e.eventName).sort()).toEqual(expected);
    for (const event of events)
      expect(event.cloudTrailEvent).toMatchObject({
        errorCode: 'AccessDeniedException',
        errorMessage: expect.stringMatching(/^User: arn:aws:iam::111122223333:user\/Alice is not authorized/),
        userIdentity: { userName: 'Alice' },
      });
  });
});
