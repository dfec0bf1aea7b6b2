import { type EncryptionContext, canonicalEncryptionContext } from './encryption-context';
import { isKeyId } from './identifiers';

/** `"AT1"`: the only layout so far. Another layout gets another magic; a blob without one is refused. */
const MAGIC = Uint8Array.of(0x41, 0x54, 0x31);
/** A key id is a UUID or `mrk-` and 32 hex digits: 36 ASCII characters either way. */
const KEY_ID_BYTES = 36;
const VERSION_AT = MAGIC.length + KEY_ID_BYTES;
const IV_AT = VERSION_AT + 4;
/** The AES-GCM nonce: 96 bits, fresh for every encryption. */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
/** magic ‖ key id ‖ material version ‖ IV: 55 bytes. */
export const HEADER_BYTES = IV_AT + IV_BYTES;

/** What a symmetric ciphertext's header says: the key, its material version, the IV. */
export interface BlobHeader {
  readonly keyId: string;
  readonly version: number;
  readonly iv: Uint8Array;
}

/** A symmetric ciphertext, taken apart: its header, the AES-256-GCM ciphertext and its tag. */
export interface ParsedBlob extends BlobHeader {
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/**
 * The header of a symmetric ciphertext (docs/kms-behaviour.md#ciphertexts): `"AT1"` ‖ key id (36 ASCII
 * bytes) ‖ material version (u32 big-endian) ‖ IV (12 bytes). Throws on fields no ciphertext can hold:
 * a caller's bug.
 *
 * @example headerOf({ keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', version: 1, iv }) // 55 bytes
 */
export function headerOf({ keyId, version, iv }: BlobHeader): Uint8Array {
  if (!isKeyId(keyId)) throw new RangeError(`Not a key id: ${keyId}`);
  if (!Number.isInteger(version) || version < 0 || version > 0xffff_ffff)
    throw new RangeError(`Not a material version (u32): ${version}`);
  if (iv.length !== IV_BYTES) throw new RangeError(`The IV must be ${IV_BYTES} bytes, not ${iv.length}`);
  const header = new Uint8Array(HEADER_BYTES);
  header.set(MAGIC, 0);
  for (let i = 0; i < KEY_ID_BYTES; i++) header[MAGIC.length + i] = keyId.charCodeAt(i);
  new DataView(header.buffer).setUint32(VERSION_AT, version);
  header.set(iv, IV_AT);
  return header;
}

/** A symmetric ciphertext blob: the header, then the AES-256-GCM ciphertext, then its 16-byte tag. */
export function encodeCiphertextBlob(blob: ParsedBlob): Uint8Array {
  if (blob.tag.length !== TAG_BYTES) throw new RangeError(`The tag must be ${TAG_BYTES} bytes, not ${blob.tag.length}`);
  const header = headerOf(blob);
  const out = new Uint8Array(HEADER_BYTES + blob.ciphertext.length + TAG_BYTES);
  out.set(header, 0);
  out.set(blob.ciphertext, HEADER_BYTES);
  out.set(blob.tag, HEADER_BYTES + blob.ciphertext.length);
  return out;
}

/**
 * Takes a symmetric ciphertext blob apart, or answers undefined when it cannot be one: shorter than
 * a header and a tag, another magic, or a key id that is not one. The parts are copies, not views
 * of `blob`. Whether the rest is genuine only the tag can tell (symmetric-cipher.ts), so a blob
 * that parses may still be damaged; the caller answers InvalidCiphertextException for either.
 */
export function parseCiphertextBlob(blob: Uint8Array): ParsedBlob | undefined {
  if (blob.length < HEADER_BYTES + TAG_BYTES) return undefined;
  if (MAGIC.some((byte, i) => blob[i] !== byte)) return undefined;
  const keyId = String.fromCharCode(...blob.subarray(MAGIC.length, VERSION_AT));
  // Every byte of the 36 is checked: one outside ASCII reads as a character no key id holds.
  if (!isKeyId(keyId)) return undefined;
  const tagAt = blob.length - TAG_BYTES;
  return {
    keyId,
    version: new DataView(blob.buffer, blob.byteOffset, blob.length).getUint32(VERSION_AT),
    iv: copy(blob, IV_AT, HEADER_BYTES),
    ciphertext: copy(blob, HEADER_BYTES, tagAt),
    tag: copy(blob, tagAt, blob.length),
  };
}

/** A plain Uint8Array copy (Buffer's `slice` would give a view). */
const copy = (bytes: Uint8Array, from: number, to: number) => new Uint8Array(bytes.subarray(from, to));

/**
 * The AES-GCM additional data of a symmetric ciphertext: its header, then the canonical encryption
 * context (docs/kms-behaviour.md#encryption-context). The header has a fixed length, so the two cannot
 * run into each other.
 */
export function additionalData(header: Uint8Array, context: EncryptionContext | undefined): Uint8Array {
  const encoded = canonicalEncryptionContext(context);
  const out = new Uint8Array(header.length + encoded.length);
  out.set(header, 0);
  out.set(encoded, header.length);
  return out;
}
