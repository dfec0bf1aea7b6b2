import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  type KMSClient,
  ReEncryptCommand,
  SignCommand,
} from '@aws-sdk/client-kms';
import { waitForRecords } from '../support/cloudtrail-records';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const SECRET = Buffer.from('the launch code is 0000');
const CONTEXT = { purpose: 'escrow' };
const resourceOf = (keyId: string) => ({
  accountId: TEST_CREDENTIALS.accountId,
  type: 'AWS::KMS::Key',
  ARN: arnOf(keyId),
});

/** RSA Encrypt/Decrypt (kms-crypto §3.3, §10 #2, E1, E2), ReEncrypt (§4.3) and their records (§8). */
describe('RSA encryption and ReEncrypt', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let rsa: string;
  let symmetric: string;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
    rsa = (await client.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!
      .KeyId!;
    symmetric = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/escrow', TargetKeyId: rsa }));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/vault', TargetKeyId: symmetric }));
  });
  afterAll(() => kms.close());

  it('decrypts an OAEP ciphertext made offline with the GetPublicKey key, for both hashes', async () => {
    const { PublicKey, EncryptionAlgorithms } = await client.send(new GetPublicKeyCommand({ KeyId: 'alias/escrow' }));
    expect(EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    const key = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
    for (const [algorithm, oaepHash] of [
      ['RSAES_OAEP_SHA_256', 'sha256'],
      ['RSAES_OAEP_SHA_1', 'sha1'],
    ] as const) {
      const offline = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, SECRET);
      const opened = await client.send(
        new DecryptCommand({ CiphertextBlob: offline, KeyId: 'alias/escrow', EncryptionAlgorithm: algorithm }),
      );
      expect(Buffer.from(opened.Plaintext!).equals(SECRET)).toBe(true);
      expect(opened).toMatchObject({ KeyId: arnOf(rsa), EncryptionAlgorithm: algorithm });
    }
  });

  it('encrypts with raw OAEP, and answers the size, algorithm, context and wrong-hash errors', async () => {
    const sealed = await client.send(
      new EncryptCommand({ KeyId: rsa, Plaintext: SECRET, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
    );
    expect(sealed.CiphertextBlob).toHaveLength(256);
    const decrypt = (
      EncryptionAlgorithm?: 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256',
      KeyId: string | undefined = rsa,
    ) => client.send(new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, KeyId, EncryptionAlgorithm }));
    expect(Buffer.from((await decrypt('RSAES_OAEP_SHA_256')).Plaintext!).equals(SECRET)).toBe(true);
    expect(await failure(decrypt('RSAES_OAEP_SHA_1'))).toEqual({
      name: 'IncorrectKeyException',
      message: 'The key ID in the request does not identify a CMK that can perform this operation.',
    });
    expect(await failure(decrypt(undefined))).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    });
    // Without a KeyId an RSA ciphertext names no key (kms-crypto §10 #3).
    expect(
      await failure(
        client.send(
          new DecryptCommand({ CiphertextBlob: sealed.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidCiphertextException' });
    expect(
      await failure(
        client.send(
          new EncryptCommand({ KeyId: rsa, Plaintext: Buffer.alloc(191), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
        ),
      ),
    ).toEqual({
      name: 'ValidationException',
      message: 'Algorithm RSAES_OAEP_SHA_256 and key spec RSA_2048 cannot encrypt data larger than 190 bytes.',
    });
    const sha1 = await client.send(
      new EncryptCommand({ KeyId: rsa, Plaintext: Buffer.alloc(214), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
    );
    expect(sha1.EncryptionAlgorithm).toBe('RSAES_OAEP_SHA_1');
    expect(await failure(client.send(new EncryptCommand({ KeyId: rsa, Plaintext: SECRET })))).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    });
    expect(
      await failure(
        client.send(
          new EncryptCommand({
            KeyId: rsa,
            Plaintext: SECRET,
            EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
            EncryptionContext: CONTEXT,
          }),
        ),
      ),
    ).toEqual({ name: 'ValidationException', message: 'EncryptionContext is not supported for asymmetric KMS keys.' });
    const signing = (await client.send(new CreateKeyCommand({ KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.KeyId!;
    expect(
      await failure(
        client.send(new EncryptCommand({ KeyId: signing, Plaintext: SECRET, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })),
      ),
    ).toEqual({
      name: 'InvalidKeyUsageException',
      message: `${arnOf(signing)} key usage is SIGN_VERIFY which is not valid for Encrypt.`,
    });
  });

  it('re-encrypts from a symmetric key to the RSA key and back, through aliases', async () => {
    const first = await client.send(
      new EncryptCommand({ KeyId: 'alias/vault', Plaintext: SECRET, EncryptionContext: CONTEXT }),
    );
    const toRsa = await client.send(
      new ReEncryptCommand({
        CiphertextBlob: first.CiphertextBlob,
        SourceEncryptionContext: CONTEXT,
        DestinationKeyId: 'alias/escrow',
        DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    expect(toRsa).toMatchObject({
      SourceKeyId: arnOf(symmetric),
      KeyId: arnOf(rsa),
      SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
    });
    const back = await client.send(
      new ReEncryptCommand({
        CiphertextBlob: toRsa.CiphertextBlob,
        SourceKeyId: 'alias/escrow',
        SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        DestinationKeyId: 'alias/vault',
        DestinationEncryptionContext: { purpose: 'archive' },
      }),
    );
    const opened = await client.send(
      new DecryptCommand({ CiphertextBlob: back.CiphertextBlob, EncryptionContext: { purpose: 'archive' } }),
    );
    expect(Buffer.from(opened.Plaintext!).equals(SECRET)).toBe(true);
    const signing = (await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.KeyId!;
    const reEncrypt = (DestinationKeyId: string, DryRun?: boolean) =>
      client.send(
        new ReEncryptCommand({
          CiphertextBlob: first.CiphertextBlob,
          SourceEncryptionContext: CONTEXT,
          DestinationKeyId,
          DryRun,
        }),
      );
    expect(await failure(reEncrypt(signing))).toEqual({
      name: 'InvalidKeyUsageException',
      message: `${arnOf(signing)} key usage is SIGN_VERIFY which is not valid for ReEncrypt.`,
    });
    expect(await failure(reEncrypt('alias/vault', true))).toMatchObject({ name: 'DryRunOperationException' });
    expect(
      await failure(
        client.send(
          new ReEncryptCommand({ CiphertextBlob: first.CiphertextBlob, SourceKeyId: rsa, DestinationKeyId: symmetric }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('records ReEncrypt and Sign through aliases with the key ARNs, source first, and no secret bytes', async () => {
    const signer = (await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: signer }));
    const signature = await client.send(
      new SignCommand({ KeyId: 'alias/signer', Message: SECRET, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    // A failed call whose key resolved lists it too.
    await failure(
      client.send(new SignCommand({ KeyId: 'alias/signer', Message: SECRET, SigningAlgorithm: 'ECDSA_SHA_512' })),
    );
    const trail = kms.trail({ region: REGION });
    await waitForRecords(trail, 'ReEncrypt');
    const records = async (eventName: string) => {
      const { Events } = await trail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }),
      );
      return Events!.map((e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>);
    };
    const reEncrypt = (await records('ReEncrypt')).find(
      (r) => (r.requestParameters as { sourceKeyId?: string }).sourceKeyId === undefined && !r.errorCode,
    );
    expect(reEncrypt).toMatchObject({
      readOnly: true,
      requestParameters: {
        sourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        sourceEncryptionContext: CONTEXT,
        destinationKeyId: 'alias/escrow',
        destinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      },
      responseElements: null,
      resources: [resourceOf(symmetric), resourceOf(rsa)],
    });
    await waitForRecords(trail, 'Sign', 2);
    const signs = await records('Sign');
    expect(signs.find((r) => !r.errorCode)).toMatchObject({
      readOnly: true,
      requestParameters: { keyId: 'alias/signer', signingAlgorithm: 'ECDSA_SHA_256', messageType: 'RAW' },
      resources: [resourceOf(signer)],
    });
    expect(signs.find((r) => r.errorCode === 'InvalidKeyUsageException')).toMatchObject({
      resources: [resourceOf(signer)],
    });
    trail.destroy();
    const leaks = [
      SECRET.toString('base64'),
      SECRET.toString('utf8'),
      Buffer.from(signature.Signature!).toString('base64'),
    ];
    const { rows } = await kms.database.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM events WHERE data::text || metadata::text LIKE ANY($1)`,
      [leaks.map((leak) => `%${leak}%`)],
    );
    expect(rows[0]!.n).toBe('0');
  });
});
