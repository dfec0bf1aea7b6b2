import { type KeyObject, createPublicKey } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';

/*
 * ECDSA over a digest the caller already computed (MessageType DIGEST): node:crypto
 * only signs messages it hashes itself, so @noble/curves (constant-time scalar multiplication) signs
 * the digest as given. Nonces are RFC 6979 hedged with fresh randomness; no low-S normalisation, as
 * OpenSSL makes none for RAW. Signatures are DER (r, s), which node:crypto verifies over the message.
 */

/** noble's curve of each OpenSSL curve name (key-pairs.ts EC_CURVES). */
const NOBLE_CURVES = { prime256v1: p256, secp384r1: p384, secp521r1: p521, secp256k1 } as const;
type CurveName = keyof typeof NOBLE_CURVES;

function curveOf(key: KeyObject) {
  const name = key.asymmetricKeyDetails?.namedCurve;
  if (name === undefined || !Object.hasOwn(NOBLE_CURVES, name)) throw new RangeError('not a served EC key');
  return NOBLE_CURVES[name as CurveName];
}

/**
 * The private scalar d of an EC key, left-padded to the curve's scalar size, from its SEC 1
 * ECPrivateKey DER: SEQUENCE { INTEGER 1, OCTET STRING d, … }. A Buffer, so the caller can zero it
 * (a JWK export would leave d in an immutable string).
 */
function scalarOf(privateKey: KeyObject, size: number): Buffer {
  const der = privateKey.export({ format: 'der', type: 'sec1' });
  try {
    const at = der[1]! & 0x80 ? 2 + (der[1]! & 0x7f) : 2; // after the SEQUENCE header
    const length = der[at + 4]!;
    if (der[at] !== 0x02 || der[at + 1] !== 0x01 || der[at + 2] !== 0x01 || der[at + 3] !== 0x04 || length > size)
      throw new RangeError('unexpected SEC 1 private key');
    const scalar = Buffer.alloc(size);
    der.copy(scalar, size - length, at + 5, at + 5 + length);
    return scalar;
  } finally {
    der.fill(0);
  }
}

/** The uncompressed point (04 ‖ x ‖ y): the tail of the key's SubjectPublicKeyInfo. */
function pointOf(key: KeyObject, size: number): Buffer {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' });
  return spki.subarray(spki.length - (1 + 2 * size));
}

/** An ECDSA signature (DER) of `digest` by an EC private key. */
export function ecdsaSignDigest(privateKey: KeyObject, digest: Buffer): Buffer {
  const curve = curveOf(privateKey);
  const scalar = scalarOf(privateKey, curve.Point.Fp.BYTES);
  try {
    return Buffer.from(curve.sign(digest, scalar, { prehash: false, format: 'der', lowS: false, extraEntropy: true }));
  } finally {
    scalar.fill(0);
  }
}

/**
 * Whether `signature` (DER) is an ECDSA signature of `digest` by the key (public or private). noble
 * accepts only minimal DER (no padding zeros, no negative integers, no long-form lengths of short
 * bodies, no trailing bytes), as OpenSSL does for RAW; anything else is simply not a match.
 */
export function ecdsaVerifyDigest(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const curve = curveOf(key);
  return curve.verify(signature, digest, pointOf(key, curve.Point.Fp.BYTES), {
    prehash: false,
    format: 'der',
    lowS: false,
  });
}
