import { randomBytes } from 'node:crypto';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  type KMSClient,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import { encodeCiphertextBlob } from '../../src/kms/domain/ciphertext-blob';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';

const SECRET = Buffer.from('the vault code');
const DRY_RUN_PASSED = {
  name: 'DryRunOperationException',
  message: 'The request would have succeeded, but the DryRun option is set.',
};
const INVALID_CIPHERTEXT = { name: 'InvalidCiphertextException', message: 'UnknownError' };

/**
 * Decrypt and ReEncrypt edges (kms-crypto §4.2, §4.6, §10 #1, #4): symmetric-shaped blobs naming other
 * keys, the check order of ReEncrypt, DryRunModifiers; and members a shape does not know.
 */
describe('Ciphertext checks of Decrypt and ReEncrypt', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let symmetric: string;
  let rsa: string;
  let disabled: string;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
    symmetric = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    rsa = (await client.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!
      .KeyId!;
    disabled = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new DisableKeyCommand({ KeyId: disabled }));
  });
  afterAll(() => kms.close());

  const sealed = async () =>
    (await client.send(new EncryptCommand({ KeyId: symmetric, Plaintext: SECRET }))).CiphertextBlob!;

  it('answers InvalidCiphertextException for a symmetric-shaped blob naming an RSA key, without KeyId', async () => {
    const forged = encodeCiphertextBlob({
      keyId: rsa,
      version: 1,
      iv: randomBytes(12),
      ciphertext: randomBytes(20),
      tag: randomBytes(16),
    });
    expect(
      await failure(
        client.send(new DecryptCommand({ CiphertextBlob: forged, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      ),
    ).toEqual(INVALID_CIPHERTEXT);
    expect(
      await failure(
        client.send(
          new ReEncryptCommand({
            CiphertextBlob: forged,
            SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
            DestinationKeyId: symmetric,
          }),
        ),
      ),
    ).toEqual(INVALID_CIPHERTEXT);
    // The algorithm check still comes first (E2).
    expect(await failure(client.send(new DecryptCommand({ CiphertextBlob: forged })))).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    });
  });

  it('ReEncrypt checks the destination key before it authenticates the source ciphertext (§10 #4)', async () => {
    const tampered = Buffer.from(await sealed());
    tampered[tampered.length - 1]! ^= 0x01;
    expect(
      await failure(client.send(new ReEncryptCommand({ CiphertextBlob: tampered, DestinationKeyId: disabled }))),
    ).toMatchObject({ name: 'DisabledException' });
    expect(
      await failure(
        client.send(
          new ReEncryptCommand({
            CiphertextBlob: tampered,
            DestinationKeyId: symmetric,
            DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidKeyUsageException' });
    expect(
      await failure(client.send(new ReEncryptCommand({ CiphertextBlob: tampered, DestinationKeyId: symmetric }))),
    ).toEqual(INVALID_CIPHERTEXT);
  });

  it('DryRun with IGNORE_CIPHERTEXT checks the named key only, and then needs KeyId (§4.6)', async () => {
    const ignoring = { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT' as const] };
    const garbage = Buffer.from('not a ciphertext');
    expect(await failure(client.send(new DecryptCommand({ ...ignoring, KeyId: symmetric })))).toEqual(DRY_RUN_PASSED);
    expect(
      await failure(client.send(new DecryptCommand({ ...ignoring, KeyId: symmetric, CiphertextBlob: garbage }))),
    ).toEqual(DRY_RUN_PASSED);
    expect(await failure(client.send(new DecryptCommand({ ...ignoring, KeyId: disabled })))).toMatchObject({
      name: 'DisabledException',
    });
    expect(await failure(client.send(new DecryptCommand({ ...ignoring, KeyId: rsa })))).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    });
    expect(await failure(client.send(new DecryptCommand({ ...ignoring, CiphertextBlob: await sealed() })))).toEqual({
      name: 'ValidationException',
      message: 'KeyId is required when DryRunModifiers contains IGNORE_CIPHERTEXT.',
    });
    // Without DryRun the modifier does nothing: the blob is required and checked.
    expect(
      await failure(
        client.send(
          new DecryptCommand({ DryRunModifiers: ['IGNORE_CIPHERTEXT'], KeyId: symmetric, CiphertextBlob: garbage }),
        ),
      ),
    ).toEqual(INVALID_CIPHERTEXT);
    expect(
      await failure(client.send(new ReEncryptCommand({ ...ignoring, SourceKeyId: symmetric, DestinationKeyId: rsa }))),
    ).toMatchObject({ name: 'InvalidKeyUsageException' });
    expect(
      await failure(
        client.send(new ReEncryptCommand({ ...ignoring, SourceKeyId: symmetric, DestinationKeyId: symmetric })),
      ),
    ).toEqual(DRY_RUN_PASSED);
    expect(
      await failure(
        client.send(new ReEncryptCommand({ ...ignoring, CiphertextBlob: garbage, DestinationKeyId: symmetric })),
      ),
    ).toEqual({
      name: 'ValidationException',
      message: 'SourceKeyId is required when DryRunModifiers contains IGNORE_CIPHERTEXT.',
    });
    const unknownModifier = await rawKms(
      kms.url,
      JSON.stringify({ KeyId: symmetric, DryRun: true, DryRunModifiers: ['IGNORE_KEY'] }),
      { target: 'TrentService.Decrypt' },
    );
    expect([unknownModifier.status, unknownModifier.json]).toEqual([
      400,
      {
        __type: 'ValidationException',
        message:
          // The ciphertext it does not skip is missing too: coral reports both (kms-crypto §1.3).
          "2 validation errors detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null; " +
          "Value 'IGNORE_KEY' at 'dryRunModifiers.1.member' failed to satisfy constraint: Member must satisfy enum value set: [IGNORE_CIPHERTEXT]",
      },
    ]);
  });

  it('GenerateMac with a stray Mac member is still GenerateMac: members a shape does not know are ignored', async () => {
    const KeyId = (await client.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    const Message = Buffer.from('session 7f3a').toString('base64');
    const { Mac } = await client.send(
      new GenerateMacCommand({ KeyId, Message: Buffer.from(Message, 'base64'), MacAlgorithm: 'HMAC_SHA_256' }),
    );
    for (const stray of [null, 'AAAA', 5, Buffer.from(Mac!).toString('base64')]) {
      const answer = await rawKms(
        kms.url,
        JSON.stringify({ KeyId, Message, MacAlgorithm: 'HMAC_SHA_256', Mac: stray }),
        {
          target: 'TrentService.GenerateMac',
        },
      );
      expect([stray, answer.status, answer.json?.Mac, answer.json?.MacValid]).toEqual([
        stray,
        200,
        Buffer.from(Mac!).toString('base64'),
        undefined,
      ]);
    }
  });
});
