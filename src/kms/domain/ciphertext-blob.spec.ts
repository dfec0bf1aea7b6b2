import {
  HEADER_BYTES,
  TAG_BYTES,
  additionalData,
  encodeCiphertextBlob,
  headerOf,
  parseCiphertextBlob,
} from './ciphertext-blob';
import { canonicalEncryptionContext } from './encryption-context';

const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
const mrkId = 'mrk-1234abcd12ab34cd56ef1234567890ab';
const iv = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
const ciphertext = Uint8Array.of(1, 2, 3, 4, 5);
const tag = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 + i);
const parts = { keyId, version: 0x01020304, iv, ciphertext, tag };
const blob = encodeCiphertextBlob(parts);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('the symmetric ciphertext blob', () => {
  it('is "AT1", the key id in ASCII, the version as u32 BE, the IV, the ciphertext, the tag', () => {
    expect(HEADER_BYTES).toBe(3 + 36 + 4 + 12);
    expect(hex(blob)).toBe(
      hex(Buffer.from('AT1', 'ascii')) +
        hex(Buffer.from(keyId, 'ascii')) +
        '01020304' +
        'a0a1a2a3a4a5a6a7a8a9aaab' +
        '0102030405' +
        'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff',
    );
    expect(headerOf(parts)).toEqual(blob.subarray(0, HEADER_BYTES));
  });

  it('parses back to its parts, for a UUID and an mrk- key id, at any u32 version', () => {
    expect(parseCiphertextBlob(blob)).toEqual(parts);
    for (const version of [0, 1, 0xffff_ffff]) {
      const other = { ...parts, keyId: mrkId, version };
      expect(parseCiphertextBlob(encodeCiphertextBlob(other))).toEqual(other);
    }
  });

  it('parses an empty ciphertext body: only the tag can tell whether it is genuine', () => {
    const empty = encodeCiphertextBlob({ ...parts, ciphertext: new Uint8Array(0) });
    expect(empty).toHaveLength(HEADER_BYTES + TAG_BYTES);
    expect(parseCiphertextBlob(empty)).toEqual({ ...parts, ciphertext: new Uint8Array(0) });
  });

  it('reads a Buffer that is a view at an offset, and hands back copies', () => {
    const input = Buffer.concat([Buffer.from('junk'), blob]).subarray(4);
    const parsed = parseCiphertextBlob(input)!;
    expect(parsed).toEqual(parts);
    input.fill(0);
    expect(parsed).toEqual(parts);
  });

  it('refuses anything shorter than a header and a tag', () => {
    for (let length = 0; length < HEADER_BYTES + TAG_BYTES; length++)
      expect(parseCiphertextBlob(blob.subarray(0, length))).toBeUndefined();
    expect(parseCiphertextBlob(new Uint8Array(0))).toBeUndefined();
  });

  it('refuses another magic', () => {
    for (let i = 0; i < 3; i++) {
      const changed = Uint8Array.from(blob);
      changed[i]! ^= 0x01;
      expect(parseCiphertextBlob(changed)).toBeUndefined();
    }
    expect(parseCiphertextBlob(Uint8Array.from([...Buffer.from('AT2'), ...blob.subarray(3)]))).toBeUndefined();
  });

  it('refuses a key id that is not one', () => {
    const withKeyId = (bytes: Uint8Array) => {
      const changed = Uint8Array.from(blob);
      changed.set(bytes, 3);
      return changed;
    };
    for (const bad of [
      keyId.toUpperCase(),
      'x'.repeat(36),
      '1234abcd12ab-34cd-56ef-1234567890ab-',
      'mrk-1234abcd12ab34cd56ef1234567890aB',
      'alias/aws/s3-padded-to-36-characters',
    ]) {
      expect(bad).toHaveLength(36);
      expect(parseCiphertextBlob(withKeyId(Buffer.from(bad, 'latin1')))).toBeUndefined();
    }
    // A byte outside ASCII, even one whose low 7 bits would make a hex digit.
    const high = Buffer.from(keyId, 'ascii');
    high[0]! |= 0x80;
    expect(parseCiphertextBlob(withKeyId(high))).toBeUndefined();
    expect(parseCiphertextBlob(withKeyId(new Uint8Array(36)))).toBeUndefined();
  });

  it('refuses to build a header no ciphertext can hold', () => {
    expect(() => headerOf({ ...parts, keyId: 'alias/x' })).toThrow(RangeError);
    expect(() => headerOf({ ...parts, version: -1 })).toThrow(RangeError);
    expect(() => headerOf({ ...parts, version: 2 ** 32 })).toThrow(RangeError);
    expect(() => headerOf({ ...parts, version: 1.5 })).toThrow(RangeError);
    expect(() => headerOf({ ...parts, iv: new Uint8Array(16) })).toThrow(RangeError);
    expect(() => encodeCiphertextBlob({ ...parts, tag: new Uint8Array(12) })).toThrow(RangeError);
  });

  it('uses the header, then the canonical context, as additional data', () => {
    const header = headerOf(parts);
    const context = { purpose: 'test', '': '' };
    expect(additionalData(header, context)).toEqual(
      Uint8Array.from([...header, ...canonicalEncryptionContext(context)]),
    );
    expect(additionalData(header, undefined)).toEqual(header);
    expect(additionalData(header, {})).toEqual(header);
  });
});
