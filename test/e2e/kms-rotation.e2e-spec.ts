import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  type KMSClient,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  CancelKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { waitForRecords } from '../support/cloudtrail-records';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';
import { clockRequest } from '../support/controllable-clock';

const REGION = 'us-west-2';
const DAY = 86_400;
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const SECRET = Buffer.from('rotated keys still open old envelopes');

/** Rotation (kms-crypto §6, §8.4): automatic and on demand, its status, its listing, its records. */
describe('key rotation', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let key: string;

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_CLOCK: 'controllable' });
    client = kms.client();
    key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/rotating', TargetKeyId: key }));
  });
  afterAll(() => kms.close());

  const status = (KeyId = key) => client.send(new GetKeyRotationStatusCommand({ KeyId }));
  const materialId = async (KeyId = key) =>
    (await client.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!.CurrentKeyMaterialId!;
  const encrypt = async () =>
    (await client.send(new EncryptCommand({ KeyId: 'alias/rotating', Plaintext: SECRET }))).CiphertextBlob!;
  const advance = async (seconds: number) => {
    const answer = await clockRequest(kms.url, seconds);
    expect(answer.status).toBe(200);
  };

  it('rotates on demand: a new current material, old ciphertexts still decrypt with the version that made them', async () => {
    expect(await status()).toMatchObject({ KeyId: arnOf(key), KeyRotationEnabled: false });
    const first = await materialId();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const before = await encrypt();
    expect(await client.send(new RotateKeyOnDemandCommand({ KeyId: key }))).toMatchObject({ KeyId: arnOf(key) });
    const middle = await encrypt();
    await client.send(new RotateKeyOnDemandCommand({ KeyId: arnOf(key) }));
    const after = await encrypt();
    const second = await materialId();
    expect(second).not.toBe(first);
    const opened = [];
    for (const blob of [before, middle, after]) {
      const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: 'alias/rotating' }));
      expect(Buffer.from(decrypted.Plaintext!).equals(SECRET)).toBe(true);
      opened.push(decrypted.KeyMaterialId);
    }
    expect(opened[0]).toBe(first);
    expect(opened[2]).toBe(second);
    expect(new Set(opened).size).toBe(3);
    // On-demand rotation leaves automatic rotation off.
    expect(await status()).toMatchObject({ KeyRotationEnabled: false });
    const listed = await client.send(new ListKeyRotationsCommand({ KeyId: key }));
    expect(listed.Truncated).toBe(false);
    expect(listed.Rotations!.map((r) => [r.KeyId, r.RotationType])).toEqual([
      [arnOf(key), 'ON_DEMAND'],
      [arnOf(key), 'ON_DEMAND'],
    ]);
    expect(listed.Rotations![1]!.KeyMaterialId).toBe(second);
    const page = await client.send(new ListKeyRotationsCommand({ KeyId: key, Limit: 1 }));
    expect(page).toMatchObject({ Truncated: true });
    const rest = await client.send(new ListKeyRotationsCommand({ KeyId: key, Limit: 1, Marker: page.NextMarker }));
    expect(rest.Rotations![0]!.KeyMaterialId).toBe(second);
  });

  it('allows 10 on-demand rotations per key', async () => {
    const own = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (let i = 0; i < 10; i++) await client.send(new RotateKeyOnDemandCommand({ KeyId: own }));
    expect(await failure(client.send(new RotateKeyOnDemandCommand({ KeyId: own })))).toEqual({
      name: 'LimitExceededException',
      message: `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${arnOf(own)}`,
    });
    expect((await client.send(new ListKeyRotationsCommand({ KeyId: own }))).Rotations).toHaveLength(10);
  });

  it('enables, re-enables and disables automatic rotation; rotates when due on the clock', async () => {
    await client.send(new EnableKeyRotationCommand({ KeyId: key }));
    const enabled = await status();
    expect(enabled).toMatchObject({ KeyId: arnOf(key), KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    await client.send(new EnableKeyRotationCommand({ KeyId: key, RotationPeriodInDays: 90 }));
    const ninety = await status();
    expect(ninety.RotationPeriodInDays).toBe(90);
    const due = ninety.NextRotationDate!.getTime();
    const before = await encrypt();
    const material = await materialId();
    await advance(91 * DAY);
    expect(await materialId()).not.toBe(material);
    const moved = await status();
    expect(moved.NextRotationDate!.getTime()).toBe(due + 90 * DAY * 1000);
    const rotations = (await client.send(new ListKeyRotationsCommand({ KeyId: key }))).Rotations!;
    expect(rotations.at(-1)).toMatchObject({ RotationType: 'AUTOMATIC' });
    const opened = await client.send(new DecryptCommand({ CiphertextBlob: before }));
    expect(Buffer.from(opened.Plaintext!).equals(SECRET)).toBe(true);
    // An on-demand rotation leaves the next automatic date where it was.
    await client.send(new RotateKeyOnDemandCommand({ KeyId: key }));
    expect((await status()).NextRotationDate).toEqual(moved.NextRotationDate);
    await client.send(new DisableKeyRotationCommand({ KeyId: key }));
    const disabled = await status();
    expect(disabled).toEqual(expect.objectContaining({ KeyRotationEnabled: false }));
    expect(disabled.RotationPeriodInDays).toBeUndefined();
    expect(disabled.NextRotationDate).toBeUndefined();
  });

  it('answers false for asymmetric and HMAC keys and while pending deletion, and refuses what AWS refuses', async () => {
    const hmac = (await client.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    expect(await status(hmac)).toMatchObject({ KeyId: arnOf(hmac), KeyRotationEnabled: false });
    // An empty message, which the SDK shows as its own placeholder.
    const unsupported = { name: 'UnsupportedOperationException' };
    expect(await failure(client.send(new EnableKeyRotationCommand({ KeyId: hmac })))).toMatchObject(unsupported);
    expect(await failure(client.send(new RotateKeyOnDemandCommand({ KeyId: hmac })))).toMatchObject(unsupported);
    const own = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new EnableKeyRotationCommand({ KeyId: own }));
    await client.send(new DisableKeyCommand({ KeyId: own }));
    const disabled = { name: 'DisabledException', message: `${arnOf(own)} is disabled.` };
    expect(await failure(client.send(new DisableKeyRotationCommand({ KeyId: own })))).toEqual(disabled);
    expect(await failure(client.send(new RotateKeyOnDemandCommand({ KeyId: own })))).toEqual(disabled);
    expect(await status(own)).toMatchObject({ KeyRotationEnabled: true });
    await client.send(new EnableKeyCommand({ KeyId: own }));
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: own, PendingWindowInDays: 7 }));
    expect(await status(own)).toMatchObject({ KeyRotationEnabled: false });
    expect(await failure(client.send(new EnableKeyRotationCommand({ KeyId: own })))).toEqual({
      name: 'KMSInvalidStateException',
      message: `${arnOf(own)} is pending deletion.`,
    });
    await client.send(new CancelKeyDeletionCommand({ KeyId: own }));
    expect(await status(own)).toMatchObject({ KeyRotationEnabled: true });
    const external = (await client.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
    expect(await failure(status(external))).toEqual({
      name: 'UnsupportedOperationException',
      message: `${arnOf(external)} origin is EXTERNAL which is not valid for this operation.`,
    });
    expect(await failure(client.send(new RotateKeyOnDemandCommand({ KeyId: external })))).toEqual({
      name: 'KMSInvalidStateException',
      message: `${arnOf(external)} is pending import.`,
    });
    expect(await failure(status('alias/rotating'))).toEqual({
      name: 'InvalidArnException',
      message: 'Key Aliases are not supported for this operation.',
    });
    expect(await failure(client.send(new EnableKeyRotationCommand({ KeyId: key, RotationPeriodInDays: 89 })))).toEqual({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90",
    });
  });

  it('records RotateKeyOnDemand with the key ARN, and automatic rotation as a RotateKey service event', async () => {
    const trail = kms.trail({ region: REGION });
    const records = async (eventName: string) =>
      (await waitForRecords(trail, eventName)).map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
    const resources = [{ accountId: TEST_CREDENTIALS.accountId, type: 'AWS::KMS::Key', ARN: arnOf(key) }];
    const onDemand = (await records('RotateKeyOnDemand')).find(
      (r) => (r.requestParameters as { keyId: string }).keyId === key,
    );
    expect(onDemand).toMatchObject({
      eventType: 'AwsApiCall',
      readOnly: false,
      requestParameters: { keyId: key },
      responseElements: { keyId: arnOf(key) },
      resources,
    });
    const automatic = (await records('RotateKey')).find(
      (r) => (r.serviceEventDetails as { rotationType: string }).rotationType === 'AUTOMATIC',
    )!;
    expect(automatic).toMatchObject({
      eventType: 'AwsServiceEvent',
      userIdentity: { accountId: TEST_CREDENTIALS.accountId, invokedBy: 'AWS Internal' },
      requestParameters: null,
      responseElements: null,
      readOnly: false,
      resources,
      serviceEventDetails: { rotationType: 'AUTOMATIC', keyOrigin: 'AWS_KMS' },
    });
    const details = automatic.serviceEventDetails as { previousKeyMaterialId: string; currentKeyMaterialId: string };
    expect(details.previousKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    expect(details.currentKeyMaterialId).not.toBe(details.previousKeyMaterialId);
    expect(automatic.requestID).toBeUndefined();
    expect((await records('EnableKeyRotation')).at(-1)).toMatchObject({ readOnly: false });
    expect((await records('GetKeyRotationStatus'))[0]).toMatchObject({ readOnly: true });
    trail.destroy();
  });
});
