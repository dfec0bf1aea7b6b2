import type { CryptoKey } from './crypto-key-checks';
import type { EncryptionContext } from './encryption-context';
import { KmsError, validation } from './kms-error';

/** RSA modulus bytes of each RSA key spec. */
const MODULUS_BYTES: Readonly<Record<string, number>> = { RSA_2048: 256, RSA_3072: 384, RSA_4096: 512 };
const OAEP_HASH_BYTES: Readonly<Record<string, number>> = { RSAES_OAEP_SHA_1: 20, RSAES_OAEP_SHA_256: 32 };

const unsupported = (message: string | undefined) => new KmsError('UnsupportedOperationException', message);

/**
 * CreateKey of a spec aliastrail has no crypto for
 * (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous): ML-DSA (Node 20 has none; refused on every
 * runtime so that behaviour does not depend on it) and SM2 (China Regions only).
 */
export function checkKeySpecServed(spec: string): void {
  if (!isKeySpecServed(spec)) throw unsupported(`KeySpec ${spec} is not supported.`);
}

/** Whether CreateKey makes keys of this spec here (the console offers only those). */
export const isKeySpecServed = (spec: string): boolean => !spec.startsWith('ML_DSA_') && spec !== 'SM2';

/** GenerateDataKeyPair of SM2 pairs: refused like SM2 keys (chosen text). */
export function checkKeyPairSpecServed(spec: string): void {
  if (spec === 'SM2') throw unsupported(`KeyPairSpec ${spec} is not supported.`);
}

/** Asymmetric keys take no encryption context; `{}` is the same as none (docs/kms-behaviour.md#encryption-context). */
export function checkNoEncryptionContext(context: EncryptionContext | undefined): void {
  if (context !== undefined && Object.keys(context).length > 0)
    throw validation('EncryptionContext is not supported for asymmetric KMS keys.');
}

/**
 * The most RSAES-OAEP encrypts with a key spec: k − 2·hLen − 2 bytes
 * (docs/kms-behaviour.md#cryptographic-operations).
 */
export const oaepPlaintextLimit = (keySpec: string, algorithm: string): number =>
  MODULUS_BYTES[keySpec]! - 2 * OAEP_HASH_BYTES[algorithm]! - 2;

export function checkRsaPlaintextSize(keySpec: string, algorithm: string, length: number): void {
  const limit = oaepPlaintextLimit(keySpec, algorithm);
  if (length > limit)
    throw validation(`Algorithm ${algorithm} and key spec ${keySpec} cannot encrypt data larger than ${limit} bytes.`);
}

/** Whether a key encrypts with RSAES-OAEP: an RSA key of usage ENCRYPT_DECRYPT. */
export const isRsaEncryptionKey = (key: Pick<CryptoKey, 'keySpec' | 'keyUsage'>): boolean =>
  key.keyUsage === 'ENCRYPT_DECRYPT' && key.keySpec.startsWith('RSA_');

/**
 * GetPublicKey of a symmetric or HMAC key: nothing public to give (empty message:
 * docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
 */
export function checkHasPublicKey(key: Pick<CryptoKey, 'keySpec'>): void {
  if (key.keySpec === 'SYMMETRIC_DEFAULT' || key.keySpec.startsWith('HMAC_')) throw unsupported(undefined);
}
