import { randomBytes } from 'node:crypto';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, RotateKeyOnDemandCommand } from '@aws-sdk/client-kms';
import { encodeCiphertextBlob } from '../../src/kms/domain/ciphertext-blob';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const SECRET = Buffer.from('quarterly numbers');

/**
 * A material version lost from the database (issue 14): a version the key has had is an error naming
 * the key and the version, never an InvalidCiphertextException blaming the caller's ciphertext; only a
 * version the key never had (a forged blob) is an invalid ciphertext.
 */
describe('lost key material', () => {
  let kms: KmsTestApp;

  // Two instances: the second decrypts after the DELETE and has cached nothing of the key.
  beforeAll(async () => {
    kms = await startKmsApp({}, 2);
  });
  afterAll(() => kms.close());

  it('names the key and version when a version it had is gone, and refuses a version it never had', async () => {
    const writer = kms.client();
    const reader = kms.client({ instance: 1 });
    const keyId = (await writer.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const encrypt = async () =>
      (await writer.send(new EncryptCommand({ KeyId: keyId, Plaintext: SECRET }))).CiphertextBlob!;
    const underV1 = await encrypt();
    await writer.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const underV2 = await encrypt();
    expect(Buffer.from(underV2).readUInt32BE(39)).toBe(2);

    const deleted = await kms.database.pool.query('DELETE FROM kms_key_material WHERE key_id = $1 AND version = 1', [
      keyId,
    ]);
    expect(deleted.rowCount).toBe(1);

    expect(await failure(reader.send(new DecryptCommand({ CiphertextBlob: underV1 })))).toEqual({
      name: 'KMSInternalException',
      message: `The key material of ${arnOf(keyId)} (version 1) is missing: the database was restored without it, or it was removed.`,
    });
    const opened = await reader.send(new DecryptCommand({ CiphertextBlob: underV2 }));
    expect(Buffer.from(opened.Plaintext!).equals(SECRET)).toBe(true);

    const forged = encodeCiphertextBlob({
      keyId,
      version: 99,
      iv: randomBytes(12),
      ciphertext: randomBytes(SECRET.length),
      tag: randomBytes(16),
    });
    expect(await failure(reader.send(new DecryptCommand({ CiphertextBlob: forged })))).toMatchObject({
      name: 'InvalidCiphertextException',
    });
  });
});
