import { authorizeKms } from '../../authz/authorize';
import { privateKeyOf } from '../crypto/key-pairs';
import { oaepDecrypt } from '../crypto/rsa-oaep';
import { decryptSymmetric } from '../crypto/symmetric-cipher';
import { checkNoEncryptionContext, isRsaEncryptionKey } from '../domain/asymmetric-checks';
import { parseCiphertextBlob } from '../domain/ciphertext-blob';
import { checkCryptoKey, ciphertextKeyUnreachable, incorrectKey, invalidCiphertext } from '../domain/crypto-key-checks';
import type { EncryptionContext } from '../domain/encryption-context';
import { keyArn } from '../domain/identifiers';
import type { KmsRequest } from '../kms-request';
import type { KeyMaterials } from '../store/key-materials';
import type { KeyRow, KmsReader } from '../store/kms-reader';
import { cryptoKeyOf, resolveUsableKey } from './crypto-key';

/** The decrypting half of Decrypt and ReEncrypt: what the caller sent about the ciphertext. */
export interface OpenCall {
  readonly blob: Buffer;
  readonly keyId?: string;
  readonly algorithm: string;
  readonly context?: EncryptionContext;
  /** The IAM action on the key: kms:Decrypt, or kms:ReEncryptFrom. */
  readonly action: string;
}

export interface Opened {
  readonly key: KeyRow;
  readonly plaintext: Buffer;
  /** The material version of a symmetric ciphertext; none for RSA. */
  readonly version?: number;
}

/** A ciphertext whose key passed every check that needs no material; `open` authenticates and opens it. */
export interface CheckedCiphertext {
  readonly key: KeyRow;
  readonly open: () => Promise<Opened>;
}

/**
 * Checks a ciphertext as Decrypt does (docs/kms-behaviour.md#ciphertexts), up to the key material. A
 * symmetric ciphertext names its key and material version, so a ciphertext made through an alias
 * still opens after the alias moved; a KeyId, when given, must name that same key. An RSA ciphertext
 * carries nothing: the KeyId and the algorithm say how to read it, so they are checked before the
 * blob, and a blob that is no OAEP block of that key and hash is the wrong key. Checks in AWS's
 * order (docs/kms-behaviour.md#order-of-checks): the blob, the key it names, its state, usage and
 * algorithm; then `open` authenticates the ciphertext under the material. ReEncrypt checks its
 * destination key in between.
 */
export async function checkCiphertext(
  reader: KmsReader,
  materials: KeyMaterials,
  request: KmsRequest,
  call: OpenCall,
): Promise<CheckedCiphertext> {
  const { scope } = request;
  const named =
    call.keyId === undefined ? undefined : await resolveUsableKey(reader, materials, request, call.keyId, call.action);
  if (named && isRsaEncryptionKey(cryptoKeyOf(named))) {
    checkNamedKey(request, named, call);
    const open = async (): Promise<Opened> => {
      const { material } = await materials.current(scope, named);
      const plaintext = oaepDecrypt(privateKeyOf(material), call.algorithm, call.blob);
      if (!plaintext) throw incorrectKey();
      return { key: named, plaintext };
    };
    return { key: named, open };
  }
  const parsed = parseCiphertextBlob(call.blob);
  if (!parsed) throw invalidCiphertext();
  if (named && named.key_id !== parsed.keyId) throw incorrectKey();
  const key = named ?? (await reader.key(scope, parsed.keyId));
  if (!key) {
    materials.forget(scope, parsed.keyId);
    throw ciphertextKeyUnreachable();
  }
  materials.forgetUnlessEnabled(scope, key);
  if (!named) {
    request.resolvedKeyArns?.push(keyArn(scope, key.key_id));
    authorizeKms(request.principal, call.action, [keyArn(scope, key.key_id)]);
  }
  checkCryptoKey(scope, cryptoKeyOf(key), checksOf(request, call));
  // A symmetric-shaped blob naming a key of another spec (an RSA key, taken without a KeyId with an
  // RSA algorithm) was not made by Encrypt: no AES key material can authenticate it.
  if (key.key_spec !== 'SYMMETRIC_DEFAULT') throw invalidCiphertext();
  const open = async (): Promise<Opened> => {
    const material = await materials.material(scope, key, parsed.version);
    const plaintext = material && decryptSymmetric(material, parsed, call.context);
    if (!plaintext) throw invalidCiphertext();
    return { key, plaintext, version: parsed.version };
  };
  return { key, open };
}

/**
 * The checks of a DryRun call with `DryRunModifiers: ["IGNORE_CIPHERTEXT"]`
 * (docs/kms-behaviour.md#dryrun): the ciphertext is neither parsed nor authenticated, so the key is the
 * one the KeyId names.
 */
export async function checkCiphertextKey(
  reader: KmsReader,
  materials: KeyMaterials,
  request: KmsRequest,
  call: Omit<OpenCall, 'blob'> & { readonly keyId: string },
): Promise<KeyRow> {
  const key = await resolveUsableKey(reader, materials, request, call.keyId, call.action);
  checkNamedKey(request, key, call);
  return key;
}

function checkNamedKey(request: KmsRequest, key: KeyRow, call: Omit<OpenCall, 'blob'>): void {
  checkCryptoKey(request.scope, cryptoKeyOf(key), checksOf(request, call));
  if (isRsaEncryptionKey(cryptoKeyOf(key))) checkNoEncryptionContext(call.context);
}

const checksOf = (request: KmsRequest, call: Omit<OpenCall, 'blob'>) =>
  ({ operation: request.operation, usage: 'ENCRYPT_DECRYPT', encryptionAlgorithm: call.algorithm }) as const;
