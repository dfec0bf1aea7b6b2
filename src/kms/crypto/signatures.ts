import { type KeyObject, constants, createHash, sign, verify } from 'node:crypto';
import { ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa-digest';
import { ed25519phSignDigest, ed25519phVerifyDigest } from './ed25519ph-digest';
import { pkcs1SignDigest, pkcs1VerifyDigest, pssSignDigest, pssVerifyDigest } from './rsa-digest';

/*
 * The signing algorithms of the served key specs (docs/kms-behaviour.md#cryptographic-operations). A
 * RAW message is hashed by OpenSSL; a DIGEST is signed as given (rsa-digest.ts, ecdsa-digest.ts), so a
 * signature made over a message verifies over its digest and the reverse ("a message and its hash
 * digest are the same message"). ED25519_SHA_512 signs RAW messages only, ED25519_PH_SHA_512 digests
 * only (ed25519ph-digest.ts); the callers check message types first.
 */

export type MessageType = 'RAW' | 'DIGEST';

/** node:crypto's name of the hash an algorithm names (`…_SHA_384` → sha384). */
export const hashOf = (algorithm: string): string => `sha${algorithm.slice(-3)}`;

const family = (algorithm: string) =>
  algorithm.startsWith('RSASSA_PSS_')
    ? 'pss'
    : algorithm.startsWith('RSASSA_PKCS1_')
      ? 'pkcs1'
      : algorithm.startsWith('ECDSA_')
        ? 'ecdsa'
        : algorithm === 'ED25519_PH_SHA_512'
          ? 'ed25519ph'
          : 'ed25519';

/** The options node:crypto signs and verifies a RAW message of `algorithm` with. */
function rawOptions(key: KeyObject, algorithm: string) {
  if (family(algorithm) === 'pss')
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(algorithm.slice(-3)) / 8 };
  if (family(algorithm) === 'pkcs1') return { key, padding: constants.RSA_PKCS1_PADDING };
  return { key, dsaEncoding: 'der' as const };
}

export function signMessage(privateKey: KeyObject, algorithm: string, type: MessageType, message: Buffer): Buffer {
  const hash = hashOf(algorithm);
  if (family(algorithm) === 'ed25519') return sign(null, message, privateKey);
  if (type === 'RAW') return sign(hash, message, rawOptions(privateKey, algorithm));
  switch (family(algorithm)) {
    case 'pss':
      return pssSignDigest(privateKey, hash, message);
    case 'pkcs1':
      return pkcs1SignDigest(privateKey, hash, message);
    case 'ed25519ph':
      return ed25519phSignDigest(privateKey, message);
    default:
      return ecdsaSignDigest(privateKey, message);
  }
}

/** Whether `signature` is the key's signature of the message (or digest) under `algorithm`. */
export function verifyMessage(
  key: KeyObject,
  algorithm: string,
  type: MessageType,
  message: Buffer,
  signature: Buffer,
): boolean {
  const hash = hashOf(algorithm);
  try {
    if (family(algorithm) === 'ed25519') return verify(null, message, key, signature);
    if (type === 'RAW') return verify(hash, message, rawOptions(key, algorithm), signature);
  } catch {
    // A signature OpenSSL cannot even parse is as invalid as one that does not match.
    return false;
  }
  switch (family(algorithm)) {
    case 'pss':
      return pssVerifyDigest(key, hash, message, signature);
    case 'pkcs1':
      return pkcs1VerifyDigest(key, hash, message, signature);
    case 'ed25519ph':
      return ed25519phVerifyDigest(key, message, signature);
    default:
      return ecdsaVerifyDigest(key, message, signature);
  }
}

/** The digest a RAW message stands for: what DIGEST callers send instead of it. */
export const digestOf = (algorithm: string, message: Buffer): Buffer =>
  createHash(hashOf(algorithm)).update(message).digest();
