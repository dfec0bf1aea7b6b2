import { constants, createHash, createPublicKey, verify } from 'node:crypto';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  GetPublicKeyCommand,
  type KMSClient,
  type KeySpec,
  SignCommand,
  type SigningAlgorithmSpec,
  UpdateAliasCommand,
  VerifyCommand,
} from '@aws-sdk/client-kms';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { failureOf as failure } from '../support/failure';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const arnOf = (keyId: string) => `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keyId}`;
const MESSAGE = Buffer.from('transfer 100 EUR to account 42');

/** How node:crypto, outside aliastrail, verifies a signature of `algorithm` over the message. */
function offlineOptions(publicKeyDer: Uint8Array, algorithm: string) {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  if (algorithm.startsWith('RSASSA_PSS_'))
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(algorithm.slice(-3)) / 8 };
  if (algorithm.startsWith('RSASSA_PKCS1_')) return { key, padding: constants.RSA_PKCS1_PADDING };
  return { key, dsaEncoding: 'der' as const };
}

/** Sign, Verify and GetPublicKey (kms-crypto §1.3, §3.4, §5.3) on every signing key spec served. */
describe('Sign and Verify', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  const keys = new Map<string, string>();

  beforeAll(async () => {
    kms = await startKmsApp();
    client = kms.client();
    for (const spec of [
      'RSA_2048',
      'ECC_NIST_P256',
      'ECC_NIST_P384',
      'ECC_NIST_P521',
      'ECC_SECG_P256K1',
      'ECC_NIST_EDWARDS25519',
    ])
      keys.set(
        spec,
        (await client.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!
          .KeyId!,
      );
  });
  afterAll(() => kms.close());

  const sign = (
    KeyId: string,
    SigningAlgorithm: string,
    Message: Uint8Array = MESSAGE,
    MessageType?: 'RAW' | 'DIGEST',
  ) =>
    client.send(
      new SignCommand({ KeyId, Message, MessageType, SigningAlgorithm: SigningAlgorithm as SigningAlgorithmSpec }),
    );
  const check = (
    KeyId: string,
    SigningAlgorithm: string,
    Signature: Uint8Array,
    Message: Uint8Array = MESSAGE,
    MessageType?: 'RAW' | 'DIGEST',
  ) =>
    client.send(
      new VerifyCommand({
        KeyId,
        Message,
        MessageType,
        Signature,
        SigningAlgorithm: SigningAlgorithm as SigningAlgorithmSpec,
      }),
    );

  it.each([
    [
      'RSA_2048',
      ['RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384'],
    ],
    ['ECC_NIST_P256', ['ECDSA_SHA_256']],
    ['ECC_NIST_P384', ['ECDSA_SHA_384']],
    ['ECC_NIST_P521', ['ECDSA_SHA_512']],
    ['ECC_SECG_P256K1', ['ECDSA_SHA_256']],
  ])('%s: signatures of messages and digests verify outside aliastrail and here', async (spec, algorithms) => {
    const keyId = keys.get(spec)!;
    const published = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(published).toMatchObject({ KeyId: arnOf(keyId), KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
    expect(published.SigningAlgorithms).toEqual(expect.arrayContaining(algorithms));
    for (const algorithm of algorithms) {
      const hash = `sha${algorithm.slice(-3)}`;
      const digest = createHash(hash).update(MESSAGE).digest();
      const overMessage = await sign(keyId, algorithm);
      const overDigest = await sign(keyId, algorithm, digest, 'DIGEST');
      expect(overMessage).toMatchObject({ KeyId: arnOf(keyId), SigningAlgorithm: algorithm });
      for (const { Signature } of [overMessage, overDigest])
        expect([algorithm, verify(hash, MESSAGE, offlineOptions(published.PublicKey!, algorithm), Signature!)]).toEqual(
          [algorithm, true],
        );
      // A message and its digest are the same message (kms-crypto §3.4).
      expect(await check(keyId, algorithm, overMessage.Signature!, digest, 'DIGEST')).toMatchObject({
        KeyId: arnOf(keyId),
        SignatureValid: true,
        SigningAlgorithm: algorithm,
      });
      expect(await failure(check(keyId, algorithm, overDigest.Signature!, Buffer.from('transfer 900 EUR')))).toEqual({
        name: 'KMSInvalidSignatureException',
        message: 'UnknownError',
      });
    }
  });

  it('signs Ed25519 RAW messages only', async () => {
    const keyId = keys.get('ECC_NIST_EDWARDS25519')!;
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    const { Signature } = await sign(keyId, 'ED25519_SHA_512');
    const publicKey = createPublicKey({ key: Buffer.from(PublicKey!), format: 'der', type: 'spki' });
    expect(verify(null, MESSAGE, publicKey, Signature!)).toBe(true);
    expect((await check(keyId, 'ED25519_SHA_512', Signature!)).SignatureValid).toBe(true);
    expect(await failure(sign(keyId, 'ED25519_SHA_512', Buffer.alloc(64), 'DIGEST'))).toEqual({
      name: 'ValidationException',
      message: 'Message type DIGEST is incompatible with signing algorithm ED25519_SHA_512.',
    });
  });

  it('signs ED25519_PH_SHA_512 digests only: Ed25519ph signatures of the message (RFC 8032)', async () => {
    const keyId = keys.get('ECC_NIST_EDWARDS25519')!;
    const { PublicKey } = await client.send(new GetPublicKeyCommand({ KeyId: keyId }));
    const digest = createHash('sha512').update(MESSAGE).digest();
    const { Signature, SigningAlgorithm } = await sign(keyId, 'ED25519_PH_SHA_512', digest, 'DIGEST');
    expect(SigningAlgorithm).toBe('ED25519_PH_SHA_512');
    expect(ed25519ph.verify(Signature!, MESSAGE, Buffer.from(PublicKey!).subarray(-32))).toBe(true);
    expect((await check(keyId, 'ED25519_PH_SHA_512', Signature!, digest, 'DIGEST')).SignatureValid).toBe(true);
    const otherDigest = createHash('sha512').update('transfer 900 EUR').digest();
    expect(await failure(check(keyId, 'ED25519_PH_SHA_512', Signature!, otherDigest, 'DIGEST'))).toEqual({
      name: 'KMSInvalidSignatureException',
      message: 'UnknownError',
    });
    expect(await failure(sign(keyId, 'ED25519_PH_SHA_512'))).toEqual({
      name: 'ValidationException',
      message: 'Message type RAW is incompatible with signing algorithm ED25519_PH_SHA_512.',
    });
  });

  it('refuses a DIGEST ECDSA signature whose DER is not minimal, as a RAW one', async () => {
    const keyId = keys.get('ECC_NIST_P256')!;
    const digest = createHash('sha256').update(MESSAGE).digest();
    const signature = Buffer.from((await sign(keyId, 'ECDSA_SHA_256', digest, 'DIGEST')).Signature!);
    // The same (r, s) with a padding zero before s, and with a trailing byte.
    const rEnd = 4 + signature[3]!;
    const s = signature.subarray(rEnd + 2);
    const padded = Buffer.concat([
      Buffer.from([0x30, signature[1]! + 1]),
      signature.subarray(2, rEnd),
      Buffer.from([0x02, s.length + 1, 0]),
      s,
    ]);
    for (const malformed of [padded, Buffer.concat([signature, Buffer.from([0])])])
      for (const [message, type] of [
        [digest, 'DIGEST'],
        [MESSAGE, 'RAW'],
      ] as const)
        expect(await failure(check(keyId, 'ECDSA_SHA_256', malformed, message, type))).toEqual({
          name: 'KMSInvalidSignatureException',
          message: 'UnknownError',
        });
  });

  it("answers AWS's digest, algorithm, usage, state and DryRun errors", async () => {
    const p256 = keys.get('ECC_NIST_P256')!;
    expect(await failure(sign(p256, 'ECDSA_SHA_256', Buffer.alloc(31), 'DIGEST'))).toEqual({
      name: 'ValidationException',
      message: 'Digest is invalid length for algorithm ECDSA_SHA_256.',
    });
    expect(await failure(sign(p256, 'ECDSA_SHA_384'))).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.',
    });
    const symmetric = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    expect(await failure(check(symmetric, 'ECDSA_SHA_256', Buffer.alloc(8)))).toEqual({
      name: 'InvalidKeyUsageException',
      message: `${arnOf(symmetric)} key usage is ENCRYPT_DECRYPT which is not valid for Verify.`,
    });
    expect(await failure(client.send(new GetPublicKeyCommand({ KeyId: symmetric })))).toMatchObject({
      name: 'UnsupportedOperationException',
    });
    expect(
      await failure(
        client.send(
          new SignCommand({ KeyId: p256, Message: MESSAGE, SigningAlgorithm: 'ECDSA_SHA_256', DryRun: true }),
        ),
      ),
    ).toEqual({
      name: 'DryRunOperationException',
      message: 'The request would have succeeded, but the DryRun option is set.',
    });
    const disabled = (await client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.KeyId!;
    await client.send(new DisableKeyCommand({ KeyId: disabled }));
    expect(await failure(sign(disabled, 'ECDSA_SHA_256'))).toEqual({
      name: 'DisabledException',
      message: `${arnOf(disabled)} is disabled.`,
    });
  });

  it('after UpdateAlias, Verify through the alias fails as a signature, or as usage when the algorithm does not fit (E6)', async () => {
    const [first, second] = [keys.get('ECC_NIST_P256')!, keys.get('ECC_SECG_P256K1')!];
    await client.send(new CreateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: first }));
    const { Signature, KeyId } = await sign('alias/signer', 'ECDSA_SHA_256');
    expect(KeyId).toBe(arnOf(first));
    expect(
      (await check(`arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:alias/signer`, 'ECDSA_SHA_256', Signature!))
        .SignatureValid,
    ).toBe(true);
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: second }));
    expect(await failure(check('alias/signer', 'ECDSA_SHA_256', Signature!))).toMatchObject({
      name: 'KMSInvalidSignatureException',
    });
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/signer', TargetKeyId: keys.get('ECC_NIST_P384')! }));
    expect(await failure(check('alias/signer', 'ECDSA_SHA_256', Signature!))).toEqual({
      name: 'InvalidKeyUsageException',
      message: 'Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_P384.',
    });
  });
});
