import { type KeyObject, constants, privateDecrypt, publicEncrypt } from 'node:crypto';

/*
 * RSAES-OAEP as KMS does it (docs/kms-behaviour.md#ciphertexts): the raw OAEP block, no header of ours,
 * MGF1 with the OAEP hash, an empty label. So a ciphertext made offline with the GetPublicKey key
 * decrypts here.
 */

const OAEP_HASH: Readonly<Record<string, string>> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };

export function oaepEncrypt(key: KeyObject, algorithm: string, plaintext: Buffer): Buffer {
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] }, plaintext);
}

/** The plaintext, or undefined when the block is not an OAEP block of this key and hash. */
export function oaepDecrypt(key: KeyObject, algorithm: string, ciphertext: Buffer): Buffer | undefined {
  try {
    return privateDecrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] },
      ciphertext,
    );
  } catch {
    // No cause kept: why the padding failed says something about the plaintext.
    return undefined;
  }
}
