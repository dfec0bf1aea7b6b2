import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  type KMSClient,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  paginateListAliases,
} from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { TEST_CREDENTIALS } from '../support/test-app';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const ACCOUNT = TEST_CREDENTIALS.accountId;
const ARN = (name: string, region = 'us-west-2') => `arn:aws:kms:${region}:${ACCOUNT}:${name}`;

/** The error a call fails with, as the SDK reports it. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded');
}

describe('aliases through @aws-sdk/client-kms', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  const newKey = async (spec?: { KeySpec?: string; KeyUsage?: string }) =>
    (await client.send(new CreateKeyCommand((spec ?? {}) as never))).KeyMetadata!.KeyId!;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
  });
  afterAll(() => kms.close());

  it('creates an alias by key id and by key ARN, storing the bare key id', async () => {
    const key = await newKey();
    const created = await client.send(new CreateAliasCommand({ AliasName: 'alias/example-key', TargetKeyId: key }));
    expect(created.$metadata.httpStatusCode).toBe(200);
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/finance-project', TargetKeyId: ARN(`key/${key}`) }));
    const listed = await client.send(new ListAliasesCommand({ KeyId: key }));
    expect(listed.Truncated).toBe(false);
    expect(listed.NextMarker).toBeUndefined();
    expect(listed.Aliases!.map((a) => [a.AliasName, a.AliasArn, a.TargetKeyId])).toEqual([
      ['alias/example-key', ARN('alias/example-key'), key],
      ['alias/finance-project', ARN('alias/finance-project'), key],
    ]);
    const entry = listed.Aliases![0]!;
    expect(entry.CreationDate).toBeInstanceOf(Date);
    expect(entry.LastUpdatedDate!.getTime()).toBe(entry.CreationDate!.getTime());
    expect((await client.send(new ListAliasesCommand({ KeyId: ARN(`key/${key}`) }))).Aliases).toHaveLength(2);
  });

  it('resolves aliases in DescribeKey, by name and by ARN, without listing aliases', async () => {
    const key = await newKey();
    await client.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: key }));
    for (const id of ['alias/describe-me', ARN('alias/describe-me')]) {
      const described = await client.send(new DescribeKeyCommand({ KeyId: id }));
      expect(described.KeyMetadata!.KeyId).toBe(key);
      expect(JSON.stringify(described)).not.toContain('describe-me');
    }
    expect(await failure(client.send(new DescribeKeyCommand({ KeyId: 'alias/nope' })))).toMatchObject({
      name: 'NotFoundException',
      message: `Alias ${ARN('alias/nope')} is not found.`,
      status: 400,
    });
  });

  it.each([
    [
      'alias/bad.name',
      'ValidationException',
      "1 validation error detected: Value 'alias/bad.name' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    ],
    [`alias/${'x'.repeat(251)}`, 'ValidationException', 'Member must have length less than or equal to 256'],
    [
      'example',
      'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html',
    ],
    ['alias/bad:name', 'ValidationException', 'alias/bad:name contains invalid characters for an alias'],
    ['alias/aws/foo', 'NotAuthorizedException', ''],
    ['alias/', 'InvalidAliasNameException', ''],
  ])('refuses the name %s', async (name, code, message) => {
    const key = await newKey();
    const e = await failure(client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key })));
    expect(e.name).toBe(code);
    expect(e.status).toBe(400);
    if (message) expect(e.message).toContain(message);
  });

  it('refuses a taken name, case-sensitively', async () => {
    const key = await newKey();
    await client.send(new CreateAliasCommand({ AliasName: 'alias/Taken', TargetKeyId: key }));
    expect(await failure(client.send(new CreateAliasCommand({ AliasName: 'alias/Taken', TargetKeyId: key })))).toEqual({
      name: 'AlreadyExistsException',
      message: `An alias with the name ${ARN('alias/Taken')} already exists`,
      status: 400,
    });
    await client.send(new CreateAliasCommand({ AliasName: 'alias/taken', TargetKeyId: key }));
  });

  it.each([
    ['alias/other', 'ValidationException', 'Aliases must refer to keys. Not aliases'],
    [ARN('alias/other'), 'ValidationException', 'Aliases must refer to keys. Not aliases'],
    ['not-a-key', 'NotFoundException', "Invalid keyId 'not-a-key'"],
    [
      '11111111-2222-3333-4444-555555555555',
      'NotFoundException',
      `Key '${ARN('key/11111111-2222-3333-4444-555555555555')}' does not exist`,
    ],
    [ARN('key/11111111-2222-3333-4444-555555555555', 'eu-west-1'), 'NotFoundException', 'Invalid arn eu-west-1'],
    [
      `arn:aws:kms:us-west-2:999999999999:key/11111111-2222-3333-4444-555555555555`,
      'NotFoundException',
      "Key 'arn:aws:kms:us-west-2:999999999999:key/11111111-2222-3333-4444-555555555555' does not exist",
    ],
  ])('refuses the target %s', async (target, code, message) => {
    expect(
      await failure(client.send(new CreateAliasCommand({ AliasName: 'alias/target-test', TargetKeyId: target }))),
    ).toMatchObject({
      name: code,
      message,
    });
  });

  it('refuses a target pending deletion and an AWS managed key', async () => {
    const key = await newKey();
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: key }));
    expect(
      await failure(client.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: key }))),
    ).toMatchObject({
      name: 'KMSInvalidStateException',
      message: `${ARN(`key/${key}`)} is pending deletion.`,
    });
    const awsKey = (await client.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    expect(awsKey.KeyManager).toBe('AWS');
    expect(
      (await failure(client.send(new CreateAliasCommand({ AliasName: 'alias/mine', TargetKeyId: awsKey.KeyId! }))))
        .name,
    ).toBe('NotAuthorizedException');
  });

  it('allows 50 aliases per key and refuses the 51st', async () => {
    const key = await newKey();
    for (let i = 0; i < 50; i++)
      await client.send(new CreateAliasCommand({ AliasName: `alias/q/${i}`, TargetKeyId: key }));
    expect(
      await failure(client.send(new CreateAliasCommand({ AliasName: 'alias/q/51', TargetKeyId: key }))),
    ).toMatchObject({
      name: 'LimitExceededException',
      message: 'Aliases per key quota for this account in this region is 50, current usage is 50.',
    });
  });

  it('updates an alias: new target, LastUpdatedDate moves, CreationDate stays', async () => {
    const [k1, k2] = [await newKey(), await newKey()];
    await client.send(new CreateAliasCommand({ AliasName: 'alias/test-key', TargetKeyId: k1 }));
    const before = (await client.send(new ListAliasesCommand({ KeyId: k1 }))).Aliases![0]!;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/test-key', TargetKeyId: ARN(`key/${k2}`) }));
    expect((await client.send(new ListAliasesCommand({ KeyId: k1 }))).Aliases).toEqual([]);
    const after = (await client.send(new ListAliasesCommand({ KeyId: k2 }))).Aliases![0]!;
    expect(after.TargetKeyId).toBe(k2);
    expect(after.CreationDate).toEqual(before.CreationDate);
    expect(after.LastUpdatedDate!.getTime()).toBeGreaterThan(before.LastUpdatedDate!.getTime());
  });

  it('refuses updates across key types and usages, to missing aliases and reserved names', async () => {
    const symmetric = await newKey();
    const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const rsa = await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    await client.send(new CreateAliasCommand({ AliasName: 'alias/typed', TargetKeyId: symmetric }));
    expect(
      await failure(client.send(new UpdateAliasCommand({ AliasName: 'alias/typed', TargetKeyId: hmac }))),
    ).toMatchObject({
      name: 'ValidationException',
      message:
        'Alias alias/typed cannot be changed from a CMK with key usage ENCRYPT_DECRYPT to a CMK with key usage GENERATE_VERIFY_MAC. The key usage of the current CMK and the new CMK must be the same.',
    });
    expect(
      (await failure(client.send(new UpdateAliasCommand({ AliasName: 'alias/typed', TargetKeyId: rsa })))).message,
    ).toContain('key spec SYMMETRIC_DEFAULT to a CMK with key spec RSA_2048');
    expect(
      await failure(client.send(new UpdateAliasCommand({ AliasName: 'alias/TYPED', TargetKeyId: symmetric }))),
    ).toMatchObject({
      name: 'NotFoundException',
      message: `Alias ${ARN('alias/TYPED')} is not found.`,
    });
    expect(
      (await failure(client.send(new UpdateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: symmetric })))).name,
    ).toBe('NotAuthorizedException');
  });

  it('deletes an alias; the name can be created again, with a new CreationDate', async () => {
    const key = await newKey();
    await client.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: key }));
    const first = (await client.send(new ListAliasesCommand({ KeyId: key }))).Aliases![0]!.CreationDate!;
    await client.send(new DeleteAliasCommand({ AliasName: 'alias/doomed' }));
    expect(await failure(client.send(new DeleteAliasCommand({ AliasName: 'alias/doomed' })))).toMatchObject({
      name: 'NotFoundException',
      message: `Alias ${ARN('alias/doomed')} is not found.`,
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: key }));
    expect(
      (await client.send(new ListAliasesCommand({ KeyId: key }))).Aliases![0]!.CreationDate!.getTime(),
    ).toBeGreaterThan(first.getTime());
    expect((await failure(client.send(new DeleteAliasCommand({ AliasName: 'alias/aws/s3' })))).name).toBe(
      'NotAuthorizedException',
    );
    expect((await failure(client.send(new DeleteAliasCommand({ AliasName: ARN('alias/doomed') })))).name).toBe(
      'ValidationException',
    );
  });

  it('lists the AWS managed aliases with their keys', async () => {
    const all = [];
    for await (const page of paginateListAliases({ client, pageSize: 100 }, {})) all.push(...page.Aliases!);
    const managed = all.filter((a) => a.AliasName!.startsWith('alias/aws/'));
    expect(managed.map((a) => a.AliasName)).toEqual(
      expect.arrayContaining(['alias/aws/s3', 'alias/aws/ebs', 'alias/aws/dynamodb']),
    );
    expect(managed.every((a) => a.TargetKeyId)).toBe(true);
  });

  it('paginates in name order with opaque markers, through the SDK paginator', async () => {
    const key = await newKey();
    const names = Array.from({ length: 23 }, (_, i) => `alias/page/${String(i).padStart(2, '0')}`);
    for (const name of [...names].reverse())
      await client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: key }));
    const pages: string[][] = [];
    for await (const page of paginateListAliases({ client, pageSize: 5 }, { KeyId: key }))
      pages.push(page.Aliases!.map((a) => a.AliasName!));
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flat()).toEqual(names);
    const first = await client.send(new ListAliasesCommand({ KeyId: key, Limit: 5 }));
    expect(first).toMatchObject({ Truncated: true });
    expect(first.NextMarker).toMatch(/^[A-Za-z0-9_-]+$/);
    expect((await client.send(new ListAliasesCommand({ KeyId: key }))).Aliases).toHaveLength(23); // default 50
    expect((await client.send(new ListAliasesCommand({ Limit: 1000 }))).Aliases!.length).toBeLessThanOrEqual(100);
  });

  it('refuses bad ListAliases parameters as AWS does', async () => {
    expect(await failure(client.send(new ListAliasesCommand({ Marker: 'bogus' })))).toMatchObject({
      name: 'InvalidMarkerException',
    });
    expect(await failure(client.send(new ListAliasesCommand({ Limit: 1001 })))).toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000",
    });
    expect(await failure(client.send(new ListAliasesCommand({ KeyId: 'alias/x' })))).toMatchObject({
      name: 'InvalidArnException',
      message: 'Key Aliases are not supported for this operation.',
    });
    expect(
      await failure(client.send(new ListAliasesCommand({ KeyId: '11111111-2222-3333-4444-555555555555' }))),
    ).toMatchObject({
      name: 'NotFoundException',
      message: `Key '${ARN('key/11111111-2222-3333-4444-555555555555')}' does not exist`,
    });
  });

  it('stores each change as an event with who, from where, what was sent and when', async () => {
    const key = await newKey();
    const keyArn = ARN(`key/${key}`);
    const created = await client.send(new CreateAliasCommand({ AliasName: 'alias/audited', TargetKeyId: keyArn }));
    const key2 = await newKey();
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/audited', TargetKeyId: key2 }));
    await client.send(new DeleteAliasCommand({ AliasName: 'alias/audited' }));
    const { rows } = await sql<{
      type: string;
      data: Record<string, unknown>;
      metadata: Record<string, any>;
      tags: string[];
    }>`
      SELECT type, data, metadata, tags FROM events WHERE data->>'aliasName' = 'alias/audited' ORDER BY position`.execute(
      kms.database.db,
    );
    expect(rows.map((r) => [r.type, r.data])).toEqual([
      ['AliasCreated', { accountId: ACCOUNT, region: 'us-west-2', aliasName: 'alias/audited', keyId: key }],
      [
        'AliasRetargeted',
        { accountId: ACCOUNT, region: 'us-west-2', aliasName: 'alias/audited', fromKeyId: key, toKeyId: key2 },
      ],
      [
        'AliasDeleted',
        { accountId: ACCOUNT, region: 'us-west-2', aliasName: 'alias/audited', keyId: key2, reason: 'api' },
      ],
    ]);
    const metadata = rows[0]!.metadata;
    expect(metadata).toMatchObject({
      requestId: created.$metadata.requestId,
      eventName: 'CreateAlias',
      userIdentity: {
        type: 'IAMUser',
        accountId: ACCOUNT,
        accessKeyId: TEST_CREDENTIALS.accessKeyId,
        userName: 'admin',
        arn: `arn:aws:iam::${ACCOUNT}:user/admin`,
      },
      sourceIPAddress: '127.0.0.1',
      requestParameters: { AliasName: 'alias/audited', TargetKeyId: keyArn },
    });
    expect(metadata.userAgent).toMatch(/aws-sdk-js/);
    expect(new Date(metadata.eventTime).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(rows[1]!.tags).toEqual(
      expect.arrayContaining([expect.stringContaining(key), expect.stringContaining(key2)]),
    );
  });

  it('keeps Regions and accounts apart', async () => {
    const key = await newKey();
    await client.send(new CreateAliasCommand({ AliasName: 'alias/regional', TargetKeyId: key }));
    const east = kms.client({ region: 'us-east-1' });
    const eastKey = (await east.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await east.send(new CreateAliasCommand({ AliasName: 'alias/regional', TargetKeyId: eastKey }));
    expect((await east.send(new DescribeKeyCommand({ KeyId: 'alias/regional' }))).KeyMetadata!.KeyId).toBe(eastKey);
    expect((await client.send(new DescribeKeyCommand({ KeyId: 'alias/regional' }))).KeyMetadata!.KeyId).toBe(key);
    expect((await failure(east.send(new DescribeKeyCommand({ KeyId: key })))).message).toBe(
      `Key 'arn:aws:kms:us-east-1:${ACCOUNT}:key/${key}' does not exist`,
    );
  });
});
