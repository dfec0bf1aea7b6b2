import {
  CreateKeyCommand,
  GetKeyPolicyCommand,
  type KMSClient,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { waitForRecords } from '../support/cloudtrail-records';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;

/** The policy of kms-crypto §7.3, exactly: the caller's account, Jackson's pretty-printing. */
const defaultPolicy = (account: string, partition = 'aws') => `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:${partition}:iam::${account}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;

const CUSTOM = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Allow', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root', 'x'] }, Action: 'kms:*' },
    { Effect: 'Deny', Principal: '*', Action: [], Resource: '*', Condition: {} },
  ],
  Id: 'custom',
};
const CUSTOM_PRETTY = `{
  "Version" : "2012-10-17",
  "Statement" : [ {
    "Sid" : "Allow",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : [ "arn:aws:iam::111122223333:root", "x" ]
    },
    "Action" : "kms:*"
  }, {
    "Effect" : "Deny",
    "Principal" : "*",
    "Action" : [ ],
    "Resource" : "*",
    "Condition" : { }
  } ],
  "Id" : "custom"
}`;

/** GetKeyPolicy, PutKeyPolicy, ListKeyPolicies and CreateKey's Policy (kms-crypto §7.3, §10 #15–16, E3, E7). */
describe('key policies', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let key: string;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
    key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });
  afterAll(() => kms.close());

  const get = (KeyId = key, PolicyName?: string) => client.send(new GetKeyPolicyCommand({ KeyId, PolicyName }));

  it('gives a new key the default policy of its account and partition, named default', async () => {
    expect(await get()).toMatchObject({ Policy: defaultPolicy(TEST_CREDENTIALS.accountId), PolicyName: 'default' });
    expect(await get(arnOf(key), 'default')).toMatchObject({ Policy: defaultPolicy(TEST_CREDENTIALS.accountId) });
    const china = kms.client({ region: 'cn-north-1' });
    const chinese = (await china.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const policy = (await china.send(new GetKeyPolicyCommand({ KeyId: chinese }))).Policy;
    expect(policy).toBe(defaultPolicy(TEST_CREDENTIALS.accountId, 'aws-cn'));
    expect(await client.send(new ListKeyPoliciesCommand({ KeyId: key }))).toMatchObject({
      PolicyNames: ['default'],
      Truncated: false,
    });
  });

  it('stores a put policy pretty-printed with its member order, also from CreateKey, in any key state', async () => {
    await client.send(new PutKeyPolicyCommand({ KeyId: key, Policy: JSON.stringify(CUSTOM) }));
    expect((await get()).Policy).toBe(CUSTOM_PRETTY);
    expect(JSON.parse((await get()).Policy!)).toEqual(CUSTOM);
    const created = await client.send(new CreateKeyCommand({ Policy: JSON.stringify(CUSTOM, null, 7) }));
    const other = created.KeyMetadata!.KeyId!;
    expect((await get(other)).Policy).toBe(CUSTOM_PRETTY);
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: other, PendingWindowInDays: 7 }));
    await client.send(new PutKeyPolicyCommand({ KeyId: other, Policy: '{"Statement":[]}', PolicyName: 'default' }));
    expect((await get(other)).Policy).toBe('{\n  "Statement" : [ ]\n}');
  });

  it('refuses what AWS refuses: size first, then shape; other policy names; aliases', async () => {
    const put = (Policy: string, more: { PolicyName?: string; KeyId?: string } = {}) =>
      failure(client.send(new PutKeyPolicyCommand({ KeyId: key, Policy, ...more })));
    const huge = JSON.stringify({ Statement: [], Padding: 'x'.repeat(33_000) });
    expect(await put(huge)).toMatchObject({ name: 'LimitExceededException' });
    expect(await put(`{"Statement": [${' '.repeat(33_000)}`)).toMatchObject({ name: 'LimitExceededException' });
    const malformed = { name: 'MalformedPolicyDocumentException' };
    for (const policy of ['{"Statement": [', '[]', '{"Version":"2012-10-17"}', '"Statement"'])
      expect(await put(policy)).toMatchObject(malformed);
    expect(await failure(client.send(new CreateKeyCommand({ Policy: '{' })))).toMatchObject(malformed);
    const noSuch = { name: 'NotFoundException', message: 'No such policy exists' };
    expect(await put('{"Statement":[]}', { PolicyName: 'other' })).toEqual(noSuch);
    expect(await failure(get(key, 'other'))).toEqual(noSuch);
    expect(await failure(get(key, 'my-policy'))).toMatchObject({ name: 'ValidationException' });
    const aliases = { name: 'InvalidArnException', message: 'Key Aliases are not supported for this operation.' };
    expect(await failure(get('alias/anything'))).toEqual(aliases);
    expect(await put('{"Statement":[]}', { KeyId: 'alias/anything' })).toEqual(aliases);
    // The key is resolved before the policy is read (kms-crypto §10 #4).
    expect(await put('{"Statement": [', { KeyId: 'alias/x' })).toEqual(aliases);
    const unknown = '0b0b0b0b-1111-4222-8333-444444444444';
    expect(await put('{"Statement": [', { KeyId: unknown })).toEqual({
      name: 'NotFoundException',
      message: `Key '${arnOf(unknown)}' does not exist`,
    });
    expect(await put('{"Statement":[]}', { KeyId: unknown, PolicyName: 'other' })).toMatchObject({
      name: 'NotFoundException',
      message: `Key '${arnOf(unknown)}' does not exist`,
    });
    expect((await get()).Policy).toBe(CUSTOM_PRETTY);
  });

  it('records PutKeyPolicy with the policy text and the bypass default, GetKeyPolicy read-only', async () => {
    const trail = kms.trail({ region: REGION });
    const records = async (eventName: string) =>
      (await waitForRecords(trail, eventName)).map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
    const put = (await records('PutKeyPolicy')).find(
      (r) => r.errorCode === undefined && (r.requestParameters as { keyId: string }).keyId === key,
    );
    expect(put).toMatchObject({
      readOnly: false,
      requestParameters: { keyId: key, policy: JSON.stringify(CUSTOM), bypassPolicyLockoutSafetyCheck: false },
      responseElements: null,
      resources: [{ accountId: TEST_CREDENTIALS.accountId, type: 'AWS::KMS::Key', ARN: arnOf(key) }],
    });
    const got = (await records('GetKeyPolicy')).find((r) => r.errorCode === undefined);
    expect(got).toMatchObject({ readOnly: true, responseElements: null });
    trail.destroy();
  });
});
