import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  IV_BYTES,
  type ParsedBlob,
  TAG_BYTES,
  additionalData,
  encodeCiphertextBlob,
  headerOf,
} from '../domain/ciphertext-blob';
import type { EncryptionContext } from '../domain/encryption-context';

const ALGORITHM = 'aes-256-gcm';
const MATERIAL_BYTES = 32;

/**
 * Encrypts under a symmetric key's material (docs/kms-behaviour.md#ciphertexts): AES-256-GCM with a
 * fresh random IV every call, the header and the canonical encryption context as additional data.
 * Returns the whole ciphertext blob, header first.
 *
 * @example encryptSymmetric(material, keyId, 1, Buffer.from('secret'), { purpose: 'test' })
 */
export function encryptSymmetric(
  material: Uint8Array,
  keyId: string,
  version: number,
  plaintext: Uint8Array,
  context?: EncryptionContext,
): Buffer {
  checkMaterial(material);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, material, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(headerOf({ keyId, version, iv }), context));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const blob = encodeCiphertextBlob({ keyId, version, iv, ciphertext, tag: cipher.getAuthTag() });
  return Buffer.from(blob.buffer, blob.byteOffset, blob.length);
}

/**
 * The plaintext of a parsed symmetric ciphertext, or undefined when its tag does not verify under
 * this material, header and context: a damaged blob, another key's or version's material, or
 * another encryption context. The caller answers InvalidCiphertextException with an empty message
 * (docs/kms-behaviour.md#ciphertexts), whichever it was. No byte of an unverified plaintext is returned.
 */
export function decryptSymmetric(
  material: Uint8Array,
  parsed: ParsedBlob,
  context?: EncryptionContext,
): Buffer | undefined {
  checkMaterial(material);
  const decipher = createDecipheriv(ALGORITHM, material, parsed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additionalData(headerOf(parsed), context));
  decipher.setAuthTag(parsed.tag);
  const plaintext = decipher.update(parsed.ciphertext);
  try {
    return Buffer.concat([plaintext, decipher.final()]);
  } catch {
    // GCM's final() fails only when the tag does not verify; what update() gave back is not genuine.
    plaintext.fill(0);
    return undefined;
  }
}

function checkMaterial(material: Uint8Array): void {
  if (material.length !== MATERIAL_BYTES)
    throw new RangeError(`Symmetric key material must be ${MATERIAL_BYTES} bytes, not ${material.length}`);
}
