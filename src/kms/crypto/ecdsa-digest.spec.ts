import { createHash, createPublicKey, verify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa-digest';
import { generateDerKeyPair, privateKeyOf } from './key-pairs';

const MESSAGE = Buffer.from('pay 100 to account 42');
const DIGEST = createHash('sha256').update(MESSAGE).digest();

/** r and s of a minimal DER signature (short-form lengths, as P-256 signatures always have). */
function integersOf(der: Buffer): [Buffer, Buffer] {
  const r = der.subarray(4, 4 + der[3]!);
  const at = 4 + r.length;
  return [r, der.subarray(at + 2, at + 2 + der[at + 1]!)];
}

const integer = (body: Buffer) => Buffer.concat([Buffer.from([0x02, body.length]), body]);
const sequence = (body: Buffer, longForm = false) =>
  Buffer.concat([Buffer.from(longForm ? [0x30, 0x81, body.length] : [0x30, body.length]), body]);

describe('ECDSA over a digest', () => {
  it('signs with hedged nonces: DER that node:crypto and noble verify over the message and the digest', async () => {
    const pair = await generateDerKeyPair('ECC_NIST_P256');
    const key = privateKeyOf(pair.privateKey);
    const publicKey = createPublicKey(key);
    const first = ecdsaSignDigest(key, DIGEST);
    const second = ecdsaSignDigest(key, DIGEST);
    expect(first.equals(second)).toBe(false);
    expect(verify('sha256', MESSAGE, { key: publicKey, dsaEncoding: 'der' }, first)).toBe(true);
    const point = publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
    expect(p256.verify(first, DIGEST, point, { prehash: false, format: 'der', lowS: false })).toBe(true);
    expect(ecdsaVerifyDigest(publicKey, DIGEST, first)).toBe(true);
  });

  it('refuses every non-minimal DER encoding of a valid signature, as node:crypto does for RAW', async () => {
    const key = privateKeyOf((await generateDerKeyPair('ECC_NIST_P256')).privateKey);
    const publicKey = createPublicKey(key);
    // An r with its top bit set, so that dropping its 00 pad makes a negative INTEGER.
    let signature = ecdsaSignDigest(key, DIGEST);
    while (integersOf(signature)[0].length !== 33) signature = ecdsaSignDigest(key, DIGEST);
    const [r, s] = integersOf(signature);
    expect(sequence(Buffer.concat([integer(r), integer(s)])).equals(signature)).toBe(true);
    const malformed: Record<string, Buffer> = {
      'a padding zero': sequence(Buffer.concat([integer(r), integer(Buffer.concat([Buffer.from([0]), s]))])),
      'a negative integer': sequence(Buffer.concat([integer(r.subarray(1)), integer(s)])),
      'a long-form length for a short body': sequence(Buffer.concat([integer(r), integer(s)]), true),
      'a trailing byte': Buffer.concat([signature, Buffer.from([0])]),
      'a truncated body': signature.subarray(0, signature.length - 1),
      'no sequence': Buffer.from([0x30]),
    };
    for (const [what, der] of Object.entries(malformed)) {
      const raw = (() => {
        try {
          return verify('sha256', MESSAGE, { key: publicKey, dsaEncoding: 'der' }, der);
        } catch {
          return false;
        }
      })();
      expect([what, raw, ecdsaVerifyDigest(publicKey, DIGEST, der)]).toEqual([what, false, false]);
    }
    expect(ecdsaVerifyDigest(publicKey, DIGEST, signature)).toBe(true);
  });
});
