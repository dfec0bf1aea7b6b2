import { createHmac, createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  GenerateMacCommand,
  GenerateRandomCommand,
  type KMSClient,
  UpdateAliasCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { keyArn } from '../../src/kms/domain/identifiers';
import { RootKeyWrapper } from '../../src/kms/material/material-wrapper';
import { waitForRecords } from '../support/cloudtrail-records';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { rawKms } from '../support/raw-kms';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const MESSAGE = Buffer.from('session 7f3a');
const CONTEXT = { tenant: 'acme' };

/** GenerateMac/VerifyMac (§5.3), GenerateRandom (§4.5), GenerateDataKeyPair* (§4.4) and CreateKey's specs (§10 #10). */
describe('MACs, random bytes, data key pairs and key specs', () => {
  let kms: KmsTestApp;
  let client: KMSClient;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
  });
  afterAll(() => kms.close());

  const hmacKey = async (KeySpec: 'HMAC_256' | 'HMAC_512') =>
    (await client.send(new CreateKeyCommand({ KeySpec, KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!.KeyId!;

  it('generates and verifies MACs through an alias, and fails VerifyMac after the alias moved (E6)', async () => {
    const [first, second] = [await hmacKey('HMAC_256'), await hmacKey('HMAC_256')];
    await client.send(new CreateAliasCommand({ AliasName: 'alias/mac', TargetKeyId: first }));
    const generated = await client.send(
      new GenerateMacCommand({ KeyId: 'alias/mac', Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }),
    );
    expect(generated).toMatchObject({ KeyId: arnOf(first), MacAlgorithm: 'HMAC_SHA_256' });
    expect(generated.Mac).toHaveLength(32);
    const again = await client.send(
      new GenerateMacCommand({ KeyId: first, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' }),
    );
    expect(Buffer.from(again.Mac!).equals(Buffer.from(generated.Mac!))).toBe(true);
    const verifyMac = (
      KeyId: string,
      Mac: Uint8Array,
      MacAlgorithm: 'HMAC_SHA_256' | 'HMAC_SHA_512' = 'HMAC_SHA_256',
    ) => client.send(new VerifyMacCommand({ KeyId, Message: MESSAGE, Mac, MacAlgorithm }));
    expect(await verifyMac('alias/mac', generated.Mac!)).toMatchObject({ KeyId: arnOf(first), MacValid: true });
    expect(await failure(verifyMac('alias/mac', generated.Mac!.subarray(0, 31)))).toMatchObject({
      name: 'KMSInvalidMacException',
    });
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/mac', TargetKeyId: second }));
    expect(await failure(verifyMac('alias/mac', generated.Mac!))).toMatchObject({ name: 'KMSInvalidMacException' });
    expect(await failure(verifyMac(first, generated.Mac!, 'HMAC_SHA_512'))).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.',
    });
    expect(
      await failure(
        client.send(
          new GenerateMacCommand({ KeyId: first, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256', DryRun: true }),
        ),
      ),
    ).toMatchObject({
      name: 'DryRunOperationException',
    });
    const symmetric = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    expect(
      await failure(
        client.send(new GenerateMacCommand({ KeyId: symmetric, Message: MESSAGE, MacAlgorithm: 'HMAC_SHA_256' })),
      ),
    ).toEqual({
      name: 'InvalidKeyUsageException',
      message: `${arnOf(symmetric)} key usage is ENCRYPT_DECRYPT which is not valid for GenerateMac.`,
    });
    const raw = await rawKms(
      kms.url,
      JSON.stringify({ KeyId: first, Message: MESSAGE.toString('base64'), MacAlgorithm: 'INVALID' }),
      {
        target: 'TrentService.GenerateMac',
      },
    );
    expect(raw.json).toEqual({
      __type: 'ValidationException',
      message:
        "1 validation error detected: Value 'INVALID' at 'macAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]",
    });
  });

  it("computes every HMAC spec's MAC as a standard HMAC of the key's material", async () => {
    // The key's material unwrapped as the service does it, from the test apps' root key file.
    const wrapper = new RootKeyWrapper(fs.readFileSync(path.join(os.tmpdir(), 'root-key.bin')));
    const message = Buffer.from('a message of some length, checked outside aliastrail');
    for (const bits of [224, 256, 384, 512] as const) {
      const KeySpec = `HMAC_${bits}` as const;
      const MacAlgorithm = `HMAC_SHA_${bits}` as const;
      const keyId = (await client.send(new CreateKeyCommand({ KeySpec, KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!
        .KeyId!;
      const { rows } = await kms.database.pool.query<{ wrapped: Buffer }>(
        'SELECT wrapped FROM kms_key_material WHERE key_id = $1 AND version = 1',
        [keyId],
      );
      const material = wrapper.unwrap(rows[0]!.wrapped, {
        keyArn: keyArn({ accountId: TEST_CREDENTIALS.accountId, region: REGION }, keyId),
        version: 1,
      });
      expect(material).toHaveLength(bits / 8);
      const { Mac } = await client.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm }));
      const expected = createHmac(`sha${bits}`, material).update(message).digest();
      expect(Buffer.from(Mac!).toString('hex')).toBe(expected.toString('hex'));
      const verified = await client.send(
        new VerifyMacCommand({ KeyId: keyId, Message: message, Mac: expected, MacAlgorithm }),
      );
      expect(verified.MacValid).toBe(true);
    }
  });

  it('generates random bytes, with the errors and the record CloudTrail shows', async () => {
    const [a, b] = [
      await client.send(new GenerateRandomCommand({ NumberOfBytes: 24 })),
      await client.send(new GenerateRandomCommand({ NumberOfBytes: 24 })),
    ];
    expect(a.Plaintext).toHaveLength(24);
    expect(Buffer.from(a.Plaintext!).equals(Buffer.from(b.Plaintext!))).toBe(false);
    expect(await failure(client.send(new GenerateRandomCommand({})))).toEqual({
      name: 'ValidationException',
      message: 'NumberOfBytes is required.',
    });
    expect(
      await failure(
        client.send(new GenerateRandomCommand({ NumberOfBytes: 8, CustomKeyStoreId: 'cks-1234567890abcdef0' })),
      ),
    ).toMatchObject({
      name: 'CustomKeyStoreNotFoundException',
    });
    const trail = kms.trail({ region: REGION });
    const records = (await waitForRecords(trail, 'GenerateRandom')).map(
      (e) => JSON.parse(e.CloudTrailEvent!) as Record<string, unknown>,
    );
    expect(records.find((r) => !r.errorCode)).toMatchObject({
      readOnly: true,
      requestParameters: null,
      responseElements: null,
      resources: [],
    });
    trail.destroy();
  });

  it.each(['RSA_2048', 'ECC_NIST_P384', 'ECC_SECG_P256K1', 'ECC_NIST_EDWARDS25519'] as const)(
    'generates %s data key pairs whose private key Decrypt opens with the context',
    async (KeyPairSpec) => {
      const key = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const pair = await client.send(
        new GenerateDataKeyPairCommand({ KeyId: key, KeyPairSpec, EncryptionContext: CONTEXT }),
      );
      expect(pair).toMatchObject({ KeyId: arnOf(key), KeyPairSpec });
      const privateKey = createPrivateKey({
        key: Buffer.from(pair.PrivateKeyPlaintext!),
        format: 'der',
        type: 'pkcs8',
      });
      const derived = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
      expect(derived.equals(Buffer.from(pair.PublicKey!))).toBe(true);
      const opened = await client.send(
        new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob, EncryptionContext: CONTEXT }),
      );
      expect(Buffer.from(opened.Plaintext!).equals(Buffer.from(pair.PrivateKeyPlaintext!))).toBe(true);
      const sealed = await client.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: key, KeyPairSpec }));
      expect((sealed as { PrivateKeyPlaintext?: unknown }).PrivateKeyPlaintext).toBeUndefined();
      expect(sealed.PublicKey!.length).toBeGreaterThan(0);
    },
  );

  it('refuses data key pairs under asymmetric keys and the specs it has no crypto for', async () => {
    const rsa = (await client.send(new CreateKeyCommand({ KeySpec: 'RSA_4096', KeyUsage: 'ENCRYPT_DECRYPT' })))
      .KeyMetadata!;
    expect(rsa.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    expect(
      await failure(client.send(new GenerateDataKeyPairCommand({ KeyId: rsa.KeyId!, KeyPairSpec: 'ECC_NIST_P256' }))),
    ).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_4096.',
    });
    const symmetric = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    expect(
      await failure(
        client.send(new GenerateDataKeyPairCommand({ KeyId: symmetric, KeyPairSpec: 'ECC_NIST_P256', DryRun: true })),
      ),
    ).toMatchObject({
      name: 'DryRunOperationException',
    });
    expect(await failure(client.send(new CreateKeyCommand({ KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' })))).toEqual(
      {
        name: 'UnsupportedOperationException',
        message: 'KeySpec ML_DSA_44 is not supported.',
      },
    );
    const agreement = (await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' })))
      .KeyMetadata!;
    expect(agreement.KeyAgreementAlgorithms).toEqual(['ECDH']);
  });
});
