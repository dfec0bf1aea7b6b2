import { constants, createHash, createPublicKey, publicEncrypt, verify } from 'node:crypto';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  type EncryptionAlgorithmSpec,
  GetPublicKeyCommand,
  type KMSClient,
  SignCommand,
  type SigningAlgorithmSpec,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const MESSAGE = Buffer.from('wire 2 000 000 EUR to account 7, reference 2026-Q2');

/** The public key GetPublicKey gives, as node:crypto reads it outside aliastrail. */
const publicKeyOf = async (client: KMSClient, KeyId: string) =>
  createPublicKey({
    key: Buffer.from((await client.send(new GetPublicKeyCommand({ KeyId }))).PublicKey!),
    format: 'der',
    type: 'spki',
  });

/** The larger RSA key specs (kms-crypto §3.3, §3.4): RSA_4096 signatures, RSA_3072/RSA_4096 encryption limits. */
describe('RSA_3072 and RSA_4096 keys', () => {
  let kms: KmsTestApp;
  let client: KMSClient;

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
  });
  afterAll(() => kms.close());

  const createKey = async (KeySpec: 'RSA_3072' | 'RSA_4096', KeyUsage: 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT') =>
    (await client.send(new CreateKeyCommand({ KeySpec, KeyUsage }))).KeyMetadata!.KeyId!;

  it('signs with RSA_4096 in PSS and PKCS#1 v1.5, messages and digests, verifiable with node:crypto', async () => {
    const keyId = await createKey('RSA_4096', 'SIGN_VERIFY');
    const publicKey = await publicKeyOf(client, keyId);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    for (const [algorithm, hash, padding] of [
      ['RSASSA_PSS_SHA_384', 'sha384', constants.RSA_PKCS1_PSS_PADDING],
      ['RSASSA_PKCS1_V1_5_SHA_512', 'sha512', constants.RSA_PKCS1_PADDING],
    ] as const) {
      const digest = createHash(hash).update(MESSAGE).digest();
      for (const [Message, MessageType] of [
        [MESSAGE, 'RAW'],
        [digest, 'DIGEST'],
      ] as const) {
        const SigningAlgorithm = algorithm as SigningAlgorithmSpec;
        const { Signature } = await client.send(
          new SignCommand({ KeyId: keyId, Message, MessageType, SigningAlgorithm }),
        );
        expect(Signature).toHaveLength(512);
        // PSS with a salt as long as the digest (kms-crypto §3.4); a DIGEST signature is the message's.
        const options = { key: publicKey, padding, saltLength: digest.length };
        expect([algorithm, MessageType, verify(hash, MESSAGE, options, Signature!)]).toEqual([
          algorithm,
          MessageType,
          true,
        ]);
        const checked = await client.send(
          new VerifyCommand({ KeyId: keyId, Message, MessageType, SigningAlgorithm, Signature }),
        );
        expect(checked.SignatureValid).toBe(true);
      }
    }
  });

  it.each([
    ['RSA_3072', 342, 318],
    ['RSA_4096', 470, 446],
  ] as const)(
    '%s encrypts up to exactly its OAEP limits and decrypts an OAEP-SHA-256 ciphertext made offline',
    async (spec, sha1Limit, sha256Limit) => {
      const keyId = await createKey(spec, 'ENCRYPT_DECRYPT');
      for (const [algorithm, limit] of [
        ['RSAES_OAEP_SHA_1', sha1Limit],
        ['RSAES_OAEP_SHA_256', sha256Limit],
      ] as const) {
        const encrypt = (bytes: number) =>
          client.send(
            new EncryptCommand({
              KeyId: keyId,
              Plaintext: Buffer.alloc(bytes, 0x5a),
              EncryptionAlgorithm: algorithm as EncryptionAlgorithmSpec,
            }),
          );
        const { CiphertextBlob } = await encrypt(limit);
        const opened = await client.send(
          new DecryptCommand({ KeyId: keyId, CiphertextBlob, EncryptionAlgorithm: algorithm }),
        );
        expect(Buffer.from(opened.Plaintext!).equals(Buffer.alloc(limit, 0x5a))).toBe(true);
        expect(await failure(encrypt(limit + 1))).toEqual({
          name: 'ValidationException',
          message: `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${limit} bytes.`,
        });
      }
      const offline = publicEncrypt(
        { key: await publicKeyOf(client, keyId), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
        MESSAGE,
      );
      const opened = await client.send(
        new DecryptCommand({ KeyId: keyId, CiphertextBlob: offline, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      );
      expect(Buffer.from(opened.Plaintext!).equals(MESSAGE)).toBe(true);
    },
  );
});
