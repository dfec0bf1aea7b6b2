import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  type KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';
import { clockRequest } from '../support/controllable-clock';

const ARN = (id: string) => `arn:aws:kms:us-west-2:${TEST_CREDENTIALS.accountId}:key/${id}`;

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error('the call succeeded');
}

describe('keys through @aws-sdk/client-kms', () => {
  let kms: KmsTestApp;
  let client: KMSClient;

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable' });
    client = kms.client();
  });
  afterAll(() => kms.close());

  it('creates a symmetric key with AWS’s KeyMetadata shape', async () => {
    const { KeyMetadata: meta } = await client.send(
      new CreateKeyCommand({ Description: 'test key 123', Tags: [{ TagKey: 'team', TagValue: 'a' }] }),
    );
    expect(meta).toMatchObject({
      AWSAccountId: TEST_CREDENTIALS.accountId,
      Arn: ARN(meta!.KeyId!),
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      Description: 'test key 123',
      Enabled: true,
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyState: 'Enabled',
      KeyUsage: 'ENCRYPT_DECRYPT',
      MultiRegion: false,
      Origin: 'AWS_KMS',
    });
    expect(meta!.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(meta!.CreationDate).toBeInstanceOf(Date);
    expect(meta).not.toHaveProperty('SigningAlgorithms');
    expect(meta).not.toHaveProperty('DeletionDate');
  });

  it.each([
    ['HMAC_256', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_256'] }],
    [
      'RSA_2048',
      'SIGN_VERIFY',
      {
        // kms-crypto §3.1's exact order.
        SigningAlgorithms: [
          'RSASSA_PKCS1_V1_5_SHA_256',
          'RSASSA_PKCS1_V1_5_SHA_384',
          'RSASSA_PKCS1_V1_5_SHA_512',
          'RSASSA_PSS_SHA_256',
          'RSASSA_PSS_SHA_384',
          'RSASSA_PSS_SHA_512',
        ],
      },
    ],
    ['RSA_4096', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
    ['ECC_NIST_P384', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_384'] }],
    ['ECC_NIST_P256', 'KEY_AGREEMENT', { KeyAgreementAlgorithms: ['ECDH'] }],
    ['ECC_SECG_P256K1', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
  ])('creates a %s %s key', async (KeySpec, KeyUsage, algorithms) => {
    const { KeyMetadata: meta } = await client.send(
      new CreateKeyCommand({ KeySpec: KeySpec as never, KeyUsage: KeyUsage as never }),
    );
    expect(meta).toMatchObject({ KeySpec, KeyUsage, ...algorithms });
  });

  it.each([
    [
      { KeySpec: 'HMAC_256' },
      'ValidationException',
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    ],
    [
      { KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' },
      'ValidationException',
      'KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048',
    ],
    [
      { KeySpec: 'HMAC_random' },
      'ValidationException',
      "1 validation error detected: Value 'HMAC_random' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [",
    ],
    [{ Tags: [{ TagKey: 'aws:x', TagValue: '' }] }, 'TagException', 'Tags beginning with aws: are reserved'],
    [
      { Tags: [{ TagKey: 'k'.repeat(129), TagValue: '' }] },
      'ValidationException',
      "at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128",
    ],
  ])('refuses CreateKey %j', async (input, code, message) => {
    const e = await failure(client.send(new CreateKeyCommand(input as never)));
    expect(e.name).toBe(code);
    expect(e.message).toContain(message);
  });

  it('disables, enables, schedules and cancels deletion with AWS’s states and errors', async () => {
    const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new DisableKeyCommand({ KeyId: key }));
    expect((await client.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata).toMatchObject({
      KeyState: 'Disabled',
      Enabled: false,
    });
    await client.send(new EnableKeyCommand({ KeyId: ARN(key) }));
    const scheduled = await client.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: ARN(key), KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    const described = (await client.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata!;
    expect(described).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
    expect(described.DeletionDate!.getTime() - described.CreationDate!.getTime()).toBeGreaterThanOrEqual(
      7 * 86_400_000 - 60_000,
    );
    expect(await failure(client.send(new EnableKeyCommand({ KeyId: key })))).toEqual({
      name: 'KMSInvalidStateException',
      message: `${ARN(key)} is pending deletion.`,
    });
    expect((await failure(client.send(new ScheduleKeyDeletionCommand({ KeyId: key })))).name).toBe(
      'KMSInvalidStateException',
    );
    expect(await client.send(new CancelKeyDeletionCommand({ KeyId: key }))).toMatchObject({ KeyId: ARN(key) });
    expect((await client.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata).toMatchObject({
      KeyState: 'Disabled',
      Enabled: false,
    });
    expect(await failure(client.send(new CancelKeyDeletionCommand({ KeyId: key })))).toEqual({
      name: 'KMSInvalidStateException',
      message: `${ARN(key)} is not pending deletion.`,
    });
    for (const days of [6, 31]) {
      expect(
        await failure(client.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: days }))),
      ).toEqual({
        name: 'ValidationException',
        message: 'PendingWindowInDays must be between 7 and 30',
      });
    }
    expect((await failure(client.send(new EnableKeyCommand({ KeyId: 'alias/x' })))).name).toBe('InvalidArnException');
  });

  it('deletes a key and all its aliases when the waiting period ends', async () => {
    const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/goes-with-key', TargetKeyId: key }));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/goes-too', TargetKeyId: key }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 7 }));
    // While pending deletion the aliases stay, and still block their names.
    expect((await client.send(new ListAliasesCommand({ KeyId: key }))).Aliases).toHaveLength(2);
    const advance = (seconds: number) => clockRequest(kms.url, seconds);
    expect((await advance(6 * 86_400)).status).toBe(200);
    expect((await client.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata!.KeyState).toBe('PendingDeletion');
    const moved = await advance(86_400 + 60);
    expect(((await moved.json()) as { now: number }).now).toBeGreaterThan(Date.now() / 1000 + 7 * 86_400);
    expect(await failure(client.send(new DescribeKeyCommand({ KeyId: key })))).toEqual({
      name: 'NotFoundException',
      message: `Key '${ARN(key)}' does not exist`,
    });
    expect(await failure(client.send(new DescribeKeyCommand({ KeyId: 'alias/goes-with-key' })))).toMatchObject({
      name: 'NotFoundException',
    });
    const newKey = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/goes-with-key', TargetKeyId: newKey }));
    expect((await advance(-1)).status).toBe(400);
  });

  it('keeps AWS managed keys read-only', async () => {
    const awsKey = (await client.send(new DescribeKeyCommand({ KeyId: 'alias/aws/ebs' }))).KeyMetadata!;
    expect(awsKey).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled' });
    for (const command of [
      new DisableKeyCommand({ KeyId: awsKey.KeyId }),
      new EnableKeyCommand({ KeyId: awsKey.KeyId }),
      new ScheduleKeyDeletionCommand({ KeyId: awsKey.KeyId }),
    ]) {
      expect((await failure(client.send(command as never))).name).toBe('NotAuthorizedException');
    }
  });

  it('starts an EXTERNAL key pending import, where Enable and Disable are refused', async () => {
    const meta = (await client.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    expect(meta).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false });
    expect(await failure(client.send(new EnableKeyCommand({ KeyId: meta.KeyId })))).toEqual({
      name: 'KMSInvalidStateException',
      message: `${ARN(meta.KeyId!)} is pending import.`,
    });
  });

  it.each([
    ['fake-key-id', "Invalid keyId 'fake-key-id'"],
    ['mrk-fake-key-id', "Invalid keyId 'mrk-fake-key-id'"],
    ['mrk-d3b95762d3b95762d3b95762d3b95762', `Key '${ARN('mrk-d3b95762d3b95762d3b95762d3b95762')}' does not exist`],
  ])('answers DescribeKey %s with NotFoundException', async (keyId, message) => {
    expect(await failure(client.send(new DescribeKeyCommand({ KeyId: keyId })))).toEqual({
      name: 'NotFoundException',
      message,
    });
  });

  it('refuses a bad ListKeys marker', async () => {
    expect((await failure(client.send(new ListKeysCommand({ Marker: 'bogus' })))).name).toBe('InvalidMarkerException');
  });

  it('lists every key, paginated', async () => {
    const all: string[] = [];
    for await (const page of paginateListKeys({ client, pageSize: 3 }, {}))
      all.push(...page.Keys!.map((k) => k.KeyId!));
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(14); // the AWS managed keys and ours
    const page = await client.send(new ListKeysCommand({ Limit: 2 }));
    expect(page.Keys![0]!.KeyArn).toBe(ARN(page.Keys![0]!.KeyId!));
    expect(page.Truncated).toBe(true);
  });

  it('does not serve the clock route without the controllable clock', async () => {
    const plain = await startKmsApp();
    try {
      expect((await fetch(`${plain.url}/admin/clock`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});
