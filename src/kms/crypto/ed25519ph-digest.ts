import { type KeyObject, createHash, createPublicKey } from 'node:crypto';
import { eddsa } from '@noble/curves/abstract/edwards.js';
import { ed25519ph } from '@noble/curves/ed25519.js';

/*
 * ED25519_PH_SHA_512 (RFC 8032 Ed25519ph) over a SHA-512 digest the caller computed (MessageType
 * DIGEST, the only one KMS takes for it). node:crypto has no prehashed Ed25519, and
 * noble's ed25519ph hashes the message itself; so this is noble's Ed25519ph with the digest taken as
 * PH(M) as given. Its signatures are exactly ed25519ph's signatures of the message the digest is of.
 */

const sha512 = Object.assign((message: Uint8Array) => new Uint8Array(createHash('sha512').update(message).digest()), {
  outputLen: 64,
  blockLen: 128,
});

/** RFC 8032 §5.1.5: the clamping of the hashed seed into the secret scalar. */
function clamp(bytes: Uint8Array): Uint8Array {
  bytes[0]! &= 248;
  bytes[31]! &= 127;
  bytes[31]! |= 64;
  return bytes;
}

/** RFC 8032 §5.1 dom2(1, context): Ed25519ph's domain separation. */
const dom2 = (data: Uint8Array, context: Uint8Array, prehashed: boolean) =>
  Buffer.concat([Buffer.from('SigEd25519 no Ed25519 collisions'), Buffer.from([prehashed ? 1 : 0, context.length]), context, data]);

/** Ed25519ph whose PH is the identity: the message handed in is already SHA-512(M). */
const overDigest = eddsa(ed25519ph.Point, sha512, {
  adjustScalarBytes: clamp,
  domain: dom2,
  prehash: (digest: Uint8Array) => digest,
  // RFC 8032 verification (no ZIP-215 leniency), as OpenSSL verifies pure Ed25519.
  zip215: false,
});

/** The 32-byte seed of an Ed25519 private key: the tail of its fixed 48-byte PKCS#8 DER (RFC 8410). */
function seedOf(privateKey: KeyObject): Buffer {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  try {
    if (der.length !== 48) throw new RangeError('unexpected Ed25519 private key');
    return Buffer.from(der.subarray(16));
  } finally {
    der.fill(0);
  }
}

/** The 32-byte public key: the tail of its SubjectPublicKeyInfo. */
function publicKeyBytesOf(key: KeyObject): Buffer {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - 32);
}

/** The Ed25519ph signature (64 bytes) of the message whose SHA-512 digest is `digest`. */
export function ed25519phSignDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const seed = seedOf(privateKey);
  try {
    return Buffer.from(overDigest.sign(digest, seed));
  } finally {
    seed.fill(0);
  }
}

/** Whether `signature` is the key's Ed25519ph signature of the message `digest` is the SHA-512 of. */
export function ed25519phVerifyDigest(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  try {
    return overDigest.verify(signature, digest, publicKeyBytesOf(key));
  } catch {
    // noble throws on a signature of the wrong length: as invalid as one that does not match.
    return false;
  }
}
