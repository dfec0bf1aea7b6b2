import { privateKeyOf } from '../crypto/key-pairs';
import { oaepEncrypt } from '../crypto/rsa-oaep';
import { encryptSymmetric } from '../crypto/symmetric-cipher';
import { checkNoEncryptionContext, checkRsaPlaintextSize, isRsaEncryptionKey } from '../domain/asymmetric-checks';
import { checkCryptoKey } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import type { Scope } from '../domain/identifiers';
import type { KeyMaterials } from '../store/key-materials';
import type { KeyRow } from '../store/kms-reader';
import { cryptoKeyOf } from './crypto-key';

/** The encrypting half of Encrypt and ReEncrypt: the key it resolved and what the caller asked for. */
export interface SealCall {
  readonly operation: string;
  readonly key: KeyRow;
  readonly algorithm: string;
  readonly context?: EncryptionContext;
}

/**
 * The checks of encrypting under a key, in AWS's order (docs/kms-behaviour.md#order-of-checks): state,
 * usage, algorithm, then, for an RSA key, no encryption context
 * (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous) and the OAEP size limit
 * (docs/kms-behaviour.md#cryptographic-operations). The size is a separate step because ReEncrypt knows
 * it only once the source ciphertext is open.
 */
export function checkSeal(scope: Scope, call: SealCall): void {
  checkCryptoKey(scope, cryptoKeyOf(call.key), {
    operation: call.operation,
    usage: 'ENCRYPT_DECRYPT',
    encryptionAlgorithm: call.algorithm,
  });
  if (isRsaEncryptionKey(cryptoKeyOf(call.key))) checkNoEncryptionContext(call.context);
}

export function checkSealSize(call: SealCall, plaintext: Buffer): void {
  if (isRsaEncryptionKey(cryptoKeyOf(call.key)))
    checkRsaPlaintextSize(call.key.key_spec, call.algorithm, plaintext.length);
}

/**
 * The ciphertext, after checkSeal and checkSealSize passed: symmetric or raw RSAES-OAEP
 * (docs/kms-behaviour.md#ciphertexts).
 */
export async function seal(materials: KeyMaterials, scope: Scope, call: SealCall, plaintext: Buffer): Promise<Buffer> {
  const { version, material } = await materials.current(scope, call.key);
  if (isRsaEncryptionKey(cryptoKeyOf(call.key))) return oaepEncrypt(privateKeyOf(material), call.algorithm, plaintext);
  return encryptSymmetric(material, call.key.key_id, version, plaintext, call.context);
}
