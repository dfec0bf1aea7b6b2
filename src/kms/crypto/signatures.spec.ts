import { type KeyObject, constants, createHash, createPublicKey, verify } from 'node:crypto';
import { ed25519ph } from '@noble/curves/ed25519.js';
import { generateDerKeyPair, privateKeyOf } from './key-pairs';
import { digestOf, signMessage, verifyMessage } from './signatures';

const MESSAGE = Buffer.from('pay 100 to account 42');
const OTHER = Buffer.from('pay 900 to account 42');

/** How an offline verifier (node:crypto over the message) reads a signature of `algorithm`. */
function offline(publicKey: KeyObject, algorithm: string) {
  const bits = Number(algorithm.slice(-3));
  if (algorithm.startsWith('RSASSA_PSS_'))
    return { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 };
  if (algorithm.startsWith('RSASSA_PKCS1_')) return { key: publicKey, padding: constants.RSA_PKCS1_PADDING };
  return { key: publicKey, dsaEncoding: 'der' as const };
}

describe('signatures', () => {
  const cases: [string, string[]][] = [
    [
      'RSA_2048',
      [
        'RSASSA_PSS_SHA_256',
        'RSASSA_PSS_SHA_384',
        'RSASSA_PSS_SHA_512',
        'RSASSA_PKCS1_V1_5_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_384',
        'RSASSA_PKCS1_V1_5_SHA_512',
      ],
    ],
    ['ECC_NIST_P256', ['ECDSA_SHA_256']],
    ['ECC_NIST_P384', ['ECDSA_SHA_384']],
    ['ECC_NIST_P521', ['ECDSA_SHA_512']],
    ['ECC_SECG_P256K1', ['ECDSA_SHA_256']],
  ];

  it.each(cases)(
    '%s: a DIGEST signature verifies offline over the message, and RAW and DIGEST verify each other',
    async (spec, algorithms) => {
      const pair = await generateDerKeyPair(spec);
      const key = privateKeyOf(pair.privateKey);
      const publicKey = createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' });
      for (const algorithm of algorithms) {
        const hash = `sha${algorithm.slice(-3)}`;
        const overDigest = signMessage(key, algorithm, 'DIGEST', digestOf(algorithm, MESSAGE));
        const overMessage = signMessage(key, algorithm, 'RAW', MESSAGE);
        expect([algorithm, verify(hash, MESSAGE, offline(publicKey, algorithm), overDigest)]).toEqual([
          algorithm,
          true,
        ]);
        expect(verifyMessage(publicKey, algorithm, 'DIGEST', digestOf(algorithm, MESSAGE), overMessage)).toBe(true);
        expect(verifyMessage(publicKey, algorithm, 'RAW', MESSAGE, overDigest)).toBe(true);
        expect(verifyMessage(publicKey, algorithm, 'DIGEST', digestOf(algorithm, OTHER), overMessage)).toBe(false);
        expect(verifyMessage(publicKey, algorithm, 'RAW', OTHER, overDigest)).toBe(false);
        const damaged = Buffer.from(overDigest);
        damaged[damaged.length - 5]! ^= 0x01;
        expect(verifyMessage(publicKey, algorithm, 'DIGEST', digestOf(algorithm, MESSAGE), damaged)).toBe(false);
      }
    },
  );

  it('signs Ed25519 messages that verify offline', async () => {
    const pair = await generateDerKeyPair('ECC_NIST_EDWARDS25519');
    const signature = signMessage(privateKeyOf(pair.privateKey), 'ED25519_SHA_512', 'RAW', MESSAGE);
    const publicKey = createPublicKey({ key: pair.publicKey, format: 'der', type: 'spki' });
    expect(verify(null, MESSAGE, publicKey, signature)).toBe(true);
    expect(verifyMessage(publicKey, 'ED25519_SHA_512', 'RAW', OTHER, signature)).toBe(false);
  });

  it('signs ED25519_PH_SHA_512 digests as Ed25519ph signatures of the message (RFC 8032), and verifies them', async () => {
    const pair = await generateDerKeyPair('ECC_NIST_EDWARDS25519');
    const key = privateKeyOf(pair.privateKey);
    const publicKey = createPublicKey(key);
    const digest = createHash('sha512').update(MESSAGE).digest();
    const signature = signMessage(key, 'ED25519_PH_SHA_512', 'DIGEST', digest);
    expect(signature).toHaveLength(64);
    expect(ed25519ph.verify(signature, MESSAGE, pair.publicKey.subarray(-32))).toBe(true);
    expect(verifyMessage(publicKey, 'ED25519_PH_SHA_512', 'DIGEST', digest, signature)).toBe(true);
    const other = createHash('sha512').update(OTHER).digest();
    expect(verifyMessage(publicKey, 'ED25519_PH_SHA_512', 'DIGEST', other, signature)).toBe(false);
    expect(verifyMessage(publicKey, 'ED25519_PH_SHA_512', 'DIGEST', digest, signature.subarray(1))).toBe(false);
    // Pure Ed25519 and Ed25519ph are domain-separated: neither verifies as the other.
    const pure = signMessage(key, 'ED25519_SHA_512', 'RAW', digest);
    expect(verifyMessage(publicKey, 'ED25519_PH_SHA_512', 'DIGEST', digest, pure)).toBe(false);
  });
});
