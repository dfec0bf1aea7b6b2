import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  type KMSClient,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';
import { graphql } from '../support/graphql-client';
import { signedGet, queryApi } from '../support/query-client';
import { TEST_CREDENTIALS } from '../support/test-app';
import { clockRequest } from '../support/controllable-clock';

const OTHER = {
  accessKeyId: 'AKIAOTHERACCOUNT0002',
  secretAccessKey: 'other-secret-access-key-00000000000000',
  accountId: '444455556666',
  arn: 'arn:aws:iam::444455556666:user/Auditor',
  userName: 'Auditor',
};
const REGION = 'us-west-2';
const ACCOUNT = TEST_CREDENTIALS.accountId;
const keyArn = (keyId: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
const aliasArn = (name: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:${name}`;
const pause = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the audit trail: CloudTrail records of every call, LookupEvents and the REST search', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let trail: CloudTrailClient;
  let keys: string[];
  const requestIds: Record<string, string> = {};

  const lookup = (input: ConstructorParameters<typeof LookupEventsCommand>[0] = {}) =>
    trail.send(new LookupEventsCommand(input));
  const recordOf = (event: Event) => JSON.parse(event.CloudTrailEvent!) as Record<string, any>;
  /** Every record of this account and Region, newest first, through LookupEvents' pages. */
  const allEvents = async (input: ConstructorParameters<typeof LookupEventsCommand>[0] = {}) => {
    const events: Event[] = [];
    let NextToken: string | undefined;
    do {
      const page = await lookup({ ...input, NextToken });
      events.push(...page.Events!);
      NextToken = page.NextToken;
    } while (NextToken);
    return events;
  };
  const waitFor = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 300; i++) {
      if (await check()) return;
      await pause();
    }
    throw new Error('the audit projection did not catch up');
  };

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-principals-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [OTHER] }));
    kms = await startKmsApp({
      ALIASTRAIL_PRINCIPALS_FILE: file,
      ALIASTRAIL_POLL_INTERVAL_MS: '20',
      ALIASTRAIL_CLOCK: 'controllable',
    });
    client = kms.client({ region: REGION });
    trail = new CloudTrailClient({
      region: REGION,
      endpoint: kms.url,
      maxAttempts: 1,
      credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: TEST_CREDENTIALS.secretAccessKey },
    });
    keys = [];
    for (let i = 0; i < 3; i++) keys.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    const created = await client.send(new CreateAliasCommand({ AliasName: 'alias/finance', TargetKeyId: keys[0] }));
    requestIds.create = created.$metadata.requestId!;
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/finance', TargetKeyId: keyArn(keys[1]!) }));
    const failed = await client
      .send(new CreateAliasCommand({ AliasName: 'alias/finance', TargetKeyId: keys[2] }))
      .catch((error: { $metadata: { requestId: string } }) => error);
    requestIds.failed = (failed as { $metadata: { requestId: string } }).$metadata.requestId;
    await client.send(new ListAliasesCommand({ Limit: 5 }));
    await client.send(new DescribeKeyCommand({ KeyId: 'alias/finance' }));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: keys[2] }));
    await client.send(new DeleteAliasCommand({ AliasName: 'alias/finance' }));
    // A rejected signature by a known access key is recorded; one by an unknown key is not.
    await rawKms(kms.url, JSON.stringify({ AliasName: 'alias/x', TargetKeyId: keys[0] }), {
      target: 'TrentService.CreateAlias',
      secretAccessKey: 'not-the-secret-key-000000000000000000',
    });
    await rawKms(kms.url, '{}', { accessKeyId: 'AKIAUNKNOWNKEY000001' });
    // The key with alias/doomed goes at the end of its waiting period: a DeleteKey service event.
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keys[2], PendingWindowInDays: 7 }));
    const advanced = await clockRequest(kms.url, 8 * 86400);
    expect(advanced.status).toBe(200);
    await waitFor(
      async () =>
        (await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteKey' }] })).Events!
          .length === 1,
    );
    await waitFor(async () => (await allEvents()).length >= 13);
  });
  afterAll(async () => {
    trail.destroy();
    await kms.close();
  });

  it('writes the CreateAlias record of spec §12.1, with the request id the caller got', async () => {
    const [event] = (
      await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateAlias' }] })
    ).Events!.filter((e) => recordOf(e).requestID === requestIds.create);
    expect(event).toBeDefined();
    expect(event).toMatchObject({
      EventName: 'CreateAlias',
      ReadOnly: 'false',
      AccessKeyId: TEST_CREDENTIALS.accessKeyId,
      EventSource: 'kms.amazonaws.com',
      Username: 'admin',
      Resources: [
        { ResourceType: 'AWS::KMS::Key', ResourceName: keyArn(keys[0]!) },
        { ResourceType: 'AWS::KMS::Key', ResourceName: aliasArn('alias/finance') },
      ],
    });
    const record = recordOf(event!);
    expect(Object.keys(record)).toEqual([
      'eventVersion',
      'userIdentity',
      'eventTime',
      'eventSource',
      'eventName',
      'awsRegion',
      'sourceIPAddress',
      'userAgent',
      'requestParameters',
      'responseElements',
      'requestID',
      'eventID',
      'readOnly',
      'resources',
      'eventType',
      'managementEvent',
      'recipientAccountId',
      'eventCategory',
    ]);
    expect(record).toMatchObject({
      userIdentity: {
        type: 'IAMUser',
        accountId: ACCOUNT,
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        userName: 'admin',
      },
      eventSource: 'kms.amazonaws.com',
      awsRegion: REGION,
      sourceIPAddress: '127.0.0.1',
      requestParameters: { aliasName: 'alias/finance', targetKeyId: keys[0] },
      responseElements: { keyId: keyArn(keys[0]!) },
      eventID: event!.EventId,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
    });
    expect(record.eventTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(record.userAgent).toMatch(/aws-sdk-js/);
  });

  it('records UpdateAlias with the target as sent and the new key, DeleteAlias with the key it left', async () => {
    const [update] = (
      await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'UpdateAlias' }] })
    ).Events!;
    expect(recordOf(update!)).toMatchObject({
      requestParameters: { aliasName: 'alias/finance', targetKeyId: keyArn(keys[1]!) },
      responseElements: { keyId: keyArn(keys[1]!) },
      resources: [
        { type: 'AWS::KMS::Key', ARN: aliasArn('alias/finance') },
        { type: 'AWS::KMS::Key', ARN: keyArn(keys[1]!) },
      ],
    });
    const [remove] = (
      await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteAlias' }] })
    ).Events!;
    expect(recordOf(remove!)).toMatchObject({
      requestParameters: { aliasName: 'alias/finance' },
      responseElements: { keyId: keyArn(keys[1]!) },
    });
  });

  it('records failed calls with errorCode and errorMessage, and rejected signatures of known keys', async () => {
    const failed = (await allEvents()).map(recordOf).filter((r) => r.errorCode);
    const conflict = failed.find((r) => r.requestID === requestIds.failed);
    expect(conflict).toMatchObject({
      eventName: 'CreateAlias',
      errorCode: 'AlreadyExistsException',
      errorMessage: `An alias with the name ${aliasArn('alias/finance')} already exists`,
      responseElements: null,
      requestParameters: { aliasName: 'alias/finance', targetKeyId: keys[2] },
    });
    expect(Object.keys(conflict!).indexOf('errorCode')).toBe(Object.keys(conflict!).indexOf('userAgent') + 1);
    const forged = failed.find((r) => r.errorCode === 'InvalidSignatureException');
    expect(forged).toMatchObject({
      eventName: 'CreateAlias',
      userIdentity: { accessKeyId: TEST_CREDENTIALS.accessKeyId },
    });
    expect(failed.filter((r) => r.errorCode === 'UnrecognizedClientException')).toEqual([]);
  });

  it('records read-only calls: ListAliases without resources, DescribeKey by alias with the key it resolved', async () => {
    const reads = (await lookup({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }] })).Events!;
    const list = reads.map(recordOf).find((r) => r.eventName === 'ListAliases');
    expect(list).toMatchObject({
      readOnly: true,
      resources: [],
      responseElements: null,
      requestParameters: { limit: 5 },
    });
    const describe = reads.map(recordOf).find((r) => r.eventName === 'DescribeKey');
    expect(describe).toMatchObject({
      requestParameters: { keyId: 'alias/finance' },
      resources: [{ ARN: keyArn(keys[1]!) }],
    });
  });

  it('records the scheduled DeleteKey as an AwsServiceEvent naming the aliases that went with the key', async () => {
    const [event] = (await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteKey' }] }))
      .Events!;
    const record = recordOf(event!);
    expect(record).toMatchObject({
      userIdentity: { accountId: ACCOUNT, invokedBy: 'AWS Internal' },
      sourceIPAddress: 'AWS Internal',
      userAgent: 'AWS Internal',
      requestParameters: null,
      responseElements: null,
      eventType: 'AwsServiceEvent',
      resources: [{ ARN: keyArn(keys[2]!) }, { ARN: aliasArn('alias/doomed') }],
    });
    expect(record).not.toHaveProperty('requestID');
    const schedule = recordOf(
      (await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'ScheduleKeyDeletion' }] }))
        .Events![0]!,
    );
    expect(schedule.responseElements).toMatchObject({
      keyId: keyArn(keys[2]!),
      keyState: 'PendingDeletion',
      pendingWindowInDays: 7,
    });
    expect(schedule.responseElements.deletionDate).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
  });

  it('finds records by each of the eight lookup attributes', async () => {
    const names = async (key: string, value: string) =>
      (await allEvents({ LookupAttributes: [{ AttributeKey: key as never, AttributeValue: value }] })).map(
        (e) => e.EventName,
      );
    // DescribeKey by alias shows the key it resolved, not the alias (spec §12.8).
    expect(await names('ResourceName', 'alias/finance')).toEqual([
      'DeleteAlias',
      'CreateAlias',
      'UpdateAlias',
      'CreateAlias',
    ]);
    expect(await names('ResourceName', aliasArn('alias/finance'))).toEqual(
      await names('ResourceName', 'alias/finance'),
    );
    expect(await names('ResourceName', keys[2]!)).toEqual([
      'DeleteKey',
      'ScheduleKeyDeletion',
      'CreateAlias',
      'CreateAlias',
      'CreateKey',
    ]);
    expect((await names('Username', 'admin')).length).toBe((await allEvents()).length - 1);
    expect(await names('Username', 'nobody')).toEqual([]);
    expect((await names('AccessKeyId', TEST_CREDENTIALS.accessKeyId)).length).toBe((await allEvents()).length - 1);
    expect(await names('ReadOnly', 'true')).toEqual(['DescribeKey', 'ListAliases']);
    expect((await names('ResourceType', 'AWS::KMS::Key')).length).toBeGreaterThan(5);
    expect(await names('ResourceType', 'AWS::S3::Bucket')).toEqual([]);
    expect((await names('EventSource', 'kms.amazonaws.com')).length).toBe((await allEvents()).length);
    expect(await names('EventSource', 's3.amazonaws.com')).toEqual([]);
    const any = (await lookup({ MaxResults: 1 })).Events![0]!;
    expect(await names('EventId', any.EventId!)).toEqual([any.EventName]);
    expect(await names('EventId', 'not-a-uuid')).toEqual([]);
  });

  it('pages newest first, through stable tokens, within an inclusive time range', async () => {
    const everything = await allEvents();
    const pages: Event[] = [];
    let NextToken: string | undefined;
    do {
      const page = await lookup({ MaxResults: 2, NextToken });
      expect(page.Events!.length).toBeLessThanOrEqual(2);
      pages.push(...page.Events!);
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages.map((e) => e.EventId)).toEqual(everything.map((e) => e.EventId));
    const times = everything.map((e) => e.EventTime!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const newest = everything[0]!.EventTime!;
    expect((await allEvents({ StartTime: newest, EndTime: newest })).map((e) => e.EventId)).toContain(
      everything[0]!.EventId,
    );
    expect(await allEvents({ EndTime: new Date(Date.now() - 3600_000) })).toEqual([]);
    expect((await lookup({ EventCategory: 'insight' })).Events).toEqual([]);
  });

  it('answers CloudTrail errors for bad requests', async () => {
    const code = (input: ConstructorParameters<typeof LookupEventsCommand>[0]) =>
      lookup(input).then(
        () => 'ok',
        (error: Error) => error.name,
      );
    expect(
      await code({
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'CreateAlias' },
          { AttributeKey: 'Username', AttributeValue: 'admin' },
        ],
      }),
    ).toBe('InvalidLookupAttributesException');
    expect(await code({ LookupAttributes: [{ AttributeKey: 'Colour' as never, AttributeValue: 'x' }] })).toBe(
      'InvalidLookupAttributesException',
    );
    expect(await code({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'maybe' }] })).toBe(
      'InvalidLookupAttributesException',
    );
    expect(await code({ MaxResults: 51 })).toBe('InvalidMaxResultsException');
    expect(await code({ MaxResults: 0 })).toBe('InvalidMaxResultsException');
    expect(await code({ StartTime: new Date(2000), EndTime: new Date(1000) })).toBe('InvalidTimeRangeException');
    expect(await code({ NextToken: 'garbage' })).toBe('InvalidNextTokenException');
    const token = (await lookup({ MaxResults: 1 })).NextToken!;
    expect(
      await code({
        MaxResults: 1,
        NextToken: token,
        LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
      }),
    ).toBe('InvalidNextTokenException');
  });

  it('answers the short target spelling too, signed for cloudtrail only', async () => {
    const short = await rawKms(kms.url, '{"MaxResults":1}', {
      target: 'CloudTrail_20131101.LookupEvents',
      service: 'cloudtrail',
    });
    expect(short.status).toBe(200);
    expect((short.json!.Events as unknown[]).length).toBe(1);
    const wrongService = await rawKms(kms.url, '{}', { target: 'CloudTrail_20131101.LookupEvents', service: 'kms' });
    expect(wrongService.json!.__type).toBe('InvalidSignatureException');
    const unknown = await rawKms(kms.url, '{}', { target: 'CloudTrail_20131101.StartLogging', service: 'cloudtrail' });
    expect(unknown.json!.__type).toBe('UnknownOperationException');
    const malformed = await rawKms(kms.url, '{"LookupAttributes":', {
      target: 'CloudTrail_20131101.LookupEvents',
      service: 'cloudtrail',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json!.__type).toBe('SerializationException');
  });

  it("shows a caller only its own account's records", async () => {
    const other = new CloudTrailClient({ region: REGION, endpoint: kms.url, maxAttempts: 1, credentials: OTHER });
    expect((await other.send(new LookupEventsCommand({}))).Events).toEqual([]);
    other.destroy();
    const rest = await queryApi(kms.url, `/api/regions/${REGION}/audit-events`, { credentials: OTHER });
    expect(rest.body.events).toEqual([]);
  });

  it('searches over REST by any combination of filters, with keyset pages and the position it reflects', async () => {
    const base = `/api/regions/${REGION}/audit-events`;
    const all = await queryApi(kms.url, `${base}?limit=1000`);
    expect(all.status).toBe(200);
    expect(all.body.position).toMatch(/^\d{20}:\d{19}$/);
    expect(all.body.events.length).toBe((await allEvents()).length);
    const failures = await queryApi(kms.url, `${base}?errorCode=*`);
    expect(failures.body.events.map((e: any) => e.errorCode).sort()).toEqual([
      'AlreadyExistsException',
      'InvalidSignatureException',
    ]);
    const combined = await queryApi(
      kms.url,
      `${base}?alias=alias/finance&eventName=CreateAlias&errorCode=AlreadyExistsException&username=admin&readOnly=false&sourceIp=127.0.0.1&accessKeyId=${TEST_CREDENTIALS.accessKeyId}`,
    );
    expect(combined.body.events.map((e: any) => e.cloudTrailEvent.requestID)).toEqual([requestIds.failed]);
    // CloudTrail's other lookup attributes: Event ID, Event source, Resource type.
    const one = all.body.events[0];
    const byId = await queryApi(kms.url, `${base}?eventId=${one.eventId.toUpperCase()}`);
    expect(byId.body.events.map((e: any) => e.eventId)).toEqual([one.eventId]);
    expect((await queryApi(kms.url, `${base}?eventSource=kms.amazonaws.com&limit=1000`)).body.events.length).toBe(
      all.body.events.length,
    );
    expect((await queryApi(kms.url, `${base}?eventSource=s3.amazonaws.com`)).body.events).toEqual([]);
    const typed = await queryApi(kms.url, `${base}?resourceType=AWS::KMS::Key&limit=1000`);
    expect(typed.body.events.every((e: any) => e.resources.length > 0)).toBe(true);
    expect(typed.body.events.length).toBeGreaterThan(0);
    expect((await queryApi(kms.url, `${base}?eventId=not-an-id`)).body.events).toEqual([]);
    const byKey = await queryApi(kms.url, `${base}?keyId=${keys[0]}&order=oldest`);
    expect(byKey.body.events.map((e: any) => e.eventName)).toEqual(['CreateKey', 'CreateAlias', 'CreateAlias']);
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await queryApi(kms.url, `${base}?limit=3${token ? `&nextToken=${token}` : ''}`);
      expect(page.status).toBe(200);
      ids.push(...page.body.events.map((e: any) => e.eventId));
      token = page.body.nextToken;
    } while (token);
    expect(ids).toEqual(all.body.events.map((e: any) => e.eventId));
    for (const bad of [
      'limit=1001',
      'readOnly=maybe',
      'startTime=yesterday',
      'order=sideways',
      'nextToken=xyz',
      'alias=finance',
      'startTime=2030-01-01T00:00:00Z&endTime=2020-01-01T00:00:00Z',
    ]) {
      const answer = await queryApi(kms.url, `${base}?${bad}`);
      expect([bad, answer.status]).toEqual([bad, 400]);
      expect(answer.body.error.code).toEqual(expect.any(String));
    }
    expect((await signedGet(kms.url, base, { sign: false })).status).toBe(401);
  });

  it('exports a search as JSON Lines and as CSV', async () => {
    const base = `/api/regions/${REGION}/audit-events/export`;
    const jsonl = await signedGet(kms.url, `${base}?format=jsonl&eventName=CreateAlias`);
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toMatch(/ndjson/);
    const lines = (await jsonl.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((r) => r.eventName)).toEqual(['CreateAlias', 'CreateAlias', 'CreateAlias', 'CreateAlias']);
    const csv = await signedGet(kms.url, `${base}?format=csv&readOnly=true`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = (await csv.text()).trim().split('\r\n');
    expect(rows[0]).toBe(
      'eventTime,eventId,eventName,readOnly,username,accessKeyId,sourceIPAddress,errorCode,errorMessage,resources,requestID,cloudTrailEvent',
    );
    expect(rows.slice(1).map((row) => row.split(',')[2])).toEqual(['DescribeKey', 'ListAliases']);
    expect((await signedGet(kms.url, `${base}?format=xml`)).status).toBe(400);
  });

  it('answers auditEvents over GraphQL with the same filters, pages and position', async () => {
    const query = `query($after: String) {
      auditEvents(region: "${REGION}", first: 2, after: $after, alias: "alias/finance", errorCode: "*") {
        position
        nodes { eventName errorCode username resources { arn } cloudTrailEvent }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const first = await graphql(kms.url, query);
    expect(first.status).toBe(200);
    const connection = first.body.data.auditEvents;
    expect(connection.position).toMatch(/^\d{20}:\d{19}$/);
    expect(connection.nodes).toEqual([
      expect.objectContaining({ eventName: 'CreateAlias', errorCode: 'AlreadyExistsException', username: 'admin' }),
    ]);
    expect(JSON.parse(connection.nodes[0].cloudTrailEvent).requestID).toBe(requestIds.failed);
    const all = await graphql(
      kms.url,
      `{ auditEvents(region: "${REGION}", first: 5) { nodes { eventId } pageInfo { hasNextPage endCursor } } }`,
    );
    const next = await graphql(
      kms.url,
      `query($after: String) { auditEvents(region: "${REGION}", first: 5, after: $after) { nodes { eventId } } }`,
      { after: all.body.data.auditEvents.pageInfo.endCursor },
    );
    const everything = (await allEvents()).map((e) => e.EventId);
    expect(
      [...all.body.data.auditEvents.nodes, ...next.body.data.auditEvents.nodes].map((n: any) => n.eventId),
    ).toEqual(everything.slice(0, 10));
    const foreign = await graphql(kms.url, query, { after: all.body.data.auditEvents.pageInfo.endCursor });
    expect(foreign.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  // Last: it adds calls the tests above do not expect.
  it('tells a caller the log position of what its KMS call appended, and only then', async () => {
    const created = await rawKms(kms.url, '{}', { target: 'TrentService.CreateKey' });
    const position = created.headers.get('x-aliastrail-position');
    expect(position).toMatch(/^\d+$/);
    const { rows } = await sql<{ type: string }>`SELECT type FROM events WHERE position = ${position}::bigint`.execute(
      kms.database.db,
    );
    expect(rows).toEqual([{ type: 'KeyCreated' }]);
    expect(
      (await rawKms(kms.url, '{}', { target: 'TrentService.ListAliases' })).headers.get('x-aliastrail-position'),
    ).toBeNull();
  });
});

describe('the audit trail with ALIASTRAIL_AUDIT_READS=false', () => {
  it('leaves read-only calls out and keeps failed ones', async () => {
    const kms = await startKmsApp({ ALIASTRAIL_AUDIT_READS: 'false', ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    try {
      const client = kms.client({ region: REGION });
      await client.send(new ListAliasesCommand({}));
      await client.send(new DescribeKeyCommand({ KeyId: 'alias/missing' })).catch(() => undefined);
      await client.send(new CreateKeyCommand({}));
      let names: string[] = [];
      for (let i = 0; i < 300 && names.length < 2; i++) {
        names = (await queryApi(kms.url, `/api/regions/${REGION}/audit-events`)).body.events.map(
          (e: any) => e.eventName,
        );
        await pause();
      }
      await pause(200);
      names = (await queryApi(kms.url, `/api/regions/${REGION}/audit-events`)).body.events.map((e: any) => e.eventName);
      expect(names).toEqual(['CreateKey', 'DescribeKey']);
    } finally {
      await kms.close();
    }
  });
});
