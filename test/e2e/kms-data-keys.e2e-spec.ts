import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { failureOf } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const CONTEXT = { Department: 'Engineering', purpose: 'payroll' };
const SECRET = Buffer.from('a data key is only as safe as the key that wraps it');
const failure = failureOf;

/**
 * GenerateDataKey(WithoutPlaintext) through an alias (kms-crypto §4.4), what envelope encryption
 * calls first, and the errors every crypto call answers the AWS way.
 */
describe('data keys and crypto errors through an alias', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let first: string;
  let before: Uint8Array;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
    first = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/payments', TargetKeyId: first }));
    before = (await encrypt('alias/payments')).CiphertextBlob!;
  });
  afterAll(() => kms.close());

  const encrypt = (KeyId: string, Plaintext: Uint8Array = SECRET) =>
    client.send(new EncryptCommand({ KeyId, Plaintext, EncryptionContext: CONTEXT }));

  it('generates data keys through the alias that Decrypt opens, with or without the plaintext', async () => {
    const generated = await client.send(
      new GenerateDataKeyCommand({ KeyId: 'alias/payments', KeySpec: 'AES_256', EncryptionContext: CONTEXT }),
    );
    expect(generated.KeyId).toBe(arnOf(first));
    expect(generated.Plaintext).toHaveLength(32);
    const opened = await client.send(
      new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob, EncryptionContext: CONTEXT }),
    );
    expect(Buffer.from(opened.Plaintext!).equals(Buffer.from(generated.Plaintext!))).toBe(true);
    const sized = await client.send(new GenerateDataKeyCommand({ KeyId: first, NumberOfBytes: 7 }));
    expect(sized.Plaintext).toHaveLength(7);
    const sealed = await client.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: first, KeySpec: 'AES_128' }));
    expect((sealed as { Plaintext?: unknown }).Plaintext).toBeUndefined();
    const unsealed = await client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob }));
    expect(unsealed.Plaintext).toHaveLength(16);
    const either = { name: 'ValidationException', message: 'Please specify either number of bytes or key spec.' };
    expect(await failure(client.send(new GenerateDataKeyCommand({ KeyId: first })))).toEqual(either);
    expect(
      await failure(client.send(new GenerateDataKeyCommand({ KeyId: first, KeySpec: 'AES_256', NumberOfBytes: 32 }))),
    ).toEqual(either);
    const raw = await rawKms(kms.url, JSON.stringify({ KeyId: first, NumberOfBytes: 1025 }), {
      target: 'TrentService.GenerateDataKey',
    });
    expect(raw.json).toEqual({
      __type: 'ValidationException',
      message:
        "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    });
  });

  it("answers AWS's validation, usage, not-found and DryRun errors", async () => {
    expect(await failure(encrypt(first, Buffer.alloc(4097)))).toEqual({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    });
    expect(await failure(encrypt(first, Buffer.alloc(0)))).toMatchObject({ name: 'ValidationException' });
    const mac = (await client.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    expect(await failure(encrypt(mac))).toEqual({
      name: 'InvalidKeyUsageException',
      message: `${arnOf(mac)} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.`,
    });
    // Decrypt compares the key named with the ciphertext's before it looks at the named key's usage.
    expect(
      await failure(
        client.send(new DecryptCommand({ CiphertextBlob: before, EncryptionContext: CONTEXT, KeyId: mac })),
      ),
    ).toEqual({
      name: 'IncorrectKeyException',
      message: 'The key ID in the request does not identify a CMK that can perform this operation.',
    });
    expect(await failure(encrypt('alias/nothing-here'))).toEqual({
      name: 'NotFoundException',
      message: `Alias arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:alias/nothing-here is not found.`,
    });
    expect(
      await failure(
        client.send(new EncryptCommand({ KeyId: first, Plaintext: SECRET, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      ),
    ).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.',
    });
    expect(await failure(client.send(new EncryptCommand({ KeyId: first, Plaintext: SECRET, DryRun: true })))).toEqual({
      name: 'DryRunOperationException',
      message: 'The request would have succeeded, but the DryRun option is set.',
    });
  });
});
