import { createDecipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { HEADER_BYTES, TAG_BYTES, parseCiphertextBlob } from '../domain/ciphertext-blob';
import type { EncryptionContext } from '../domain/encryption-context';
import { decryptSymmetric, encryptSymmetric } from './symmetric-cipher';

const material = randomBytes(32);
const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
const plaintext = Buffer.from('the data key, or any 1 to 4096 bytes');
const context = { purpose: 'test', tenant: 'a' };
const blob = encryptSymmetric(material, keyId, 3, plaintext, context);

/** What Decrypt would give back: undefined when the blob does not parse or its tag does not verify. */
const decrypt = (bytes: Uint8Array, ctx?: EncryptionContext, key: Uint8Array = material) => {
  const parsed = parseCiphertextBlob(bytes);
  return parsed && decryptSymmetric(key, parsed, ctx);
};

describe('symmetric encryption', () => {
  it('decrypts what it encrypted, with the same context', () => {
    expect(blob).toHaveLength(HEADER_BYTES + plaintext.length + TAG_BYTES);
    expect(decrypt(blob, { tenant: 'a', purpose: 'test' })).toEqual(plaintext);
    expect(parseCiphertextBlob(blob)).toMatchObject({ keyId, version: 3 });
  });

  it('takes {} and an absent context as the same', () => {
    for (const encryptWith of [undefined, {}])
      for (const decryptWith of [undefined, {}])
        expect(decrypt(encryptSymmetric(material, keyId, 1, plaintext, encryptWith), decryptWith)).toEqual(plaintext);
  });

  it('draws a fresh IV on every call', () => {
    const blobs = Array.from({ length: 20 }, () => encryptSymmetric(material, keyId, 3, plaintext, context));
    const ivs = blobs.map((b) => Buffer.from(parseCiphertextBlob(b)!.iv).toString('hex'));
    expect(new Set(ivs).size).toBe(blobs.length);
    expect(new Set(blobs.map((b) => b.toString('hex'))).size).toBe(blobs.length);
    for (const b of blobs) expect(decrypt(b, context)).toEqual(plaintext);
  });

  it('fails for any other context', () => {
    const others: (EncryptionContext | undefined)[] = [
      undefined,
      {},
      { purpose: 'test' },
      { purpose: 'test', tenant: 'a', extra: '' },
      { purpose: 'Test', tenant: 'a' },
      { Purpose: 'test', tenant: 'a' },
      { purpose: 'test', tenant: 'b' },
      { purpose: 'testtenant', '': 'a' },
    ];
    for (const other of others) expect(decrypt(blob, other)).toBeUndefined();
  });

  it('fails when a pair moves text between key and value ({"ab":"c"} vs {"a":"bc"})', () => {
    const sealed = encryptSymmetric(material, keyId, 1, plaintext, { ab: 'c' });
    expect(decrypt(sealed, { ab: 'c' })).toEqual(plaintext);
    expect(decrypt(sealed, { a: 'bc' })).toBeUndefined();
    expect(decrypt(sealed, { abc: '' })).toBeUndefined();
  });

  it('fails with other key material', () => {
    expect(decrypt(blob, context, randomBytes(32))).toBeUndefined();
  });

  it('fails when any byte of the header, the body or the tag changes', () => {
    for (let i = 0; i < blob.length; i++)
      for (const mask of [0x01, 0x80, 0xff]) {
        const changed = Buffer.from(blob);
        changed[i]! ^= mask;
        expect([i, mask, decrypt(changed, context)]).toEqual([i, mask, undefined]);
      }
  });

  it('fails when truncated or extended', () => {
    for (let length = 0; length < blob.length; length++)
      expect([length, decrypt(blob.subarray(0, length), context)]).toEqual([length, undefined]);
    expect(decrypt(Buffer.concat([blob, Buffer.from('bad_data')]), context)).toBeUndefined();
    expect(decrypt(Buffer.concat([blob, Buffer.of(0)]), context)).toBeUndefined();
  });

  it('refuses material that is not 32 bytes', () => {
    expect(() => encryptSymmetric(randomBytes(16), keyId, 1, plaintext)).toThrow(RangeError);
    expect(() => decryptSymmetric(randomBytes(31), parseCiphertextBlob(blob)!)).toThrow(RangeError);
  });

  it('writes the documented layout: node:crypto alone decrypts it', () => {
    const mrkId = 'mrk-1234abcd12ab34cd56ef1234567890ab';
    const sealed = encryptSymmetric(material, mrkId, 0x0a0b0c0d, plaintext, { b: 'é', a: '' });
    expect(sealed.subarray(0, 3).toString('ascii')).toBe('AT1');
    expect(sealed.subarray(3, 39).toString('ascii')).toBe(mrkId);
    expect(sealed.readUInt32BE(39)).toBe(0x0a0b0c0d);
    const header = sealed.subarray(0, 55);
    const iv = sealed.subarray(43, 55);
    const tag = sealed.subarray(sealed.length - 16);
    // Pairs sorted by key; each key and value a u32 BE byte length, then its UTF-8.
    const field = (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    };
    const aad = Buffer.concat([header, field('a'), field(''), field('b'), field('é')]);
    const decipher = createDecipheriv('aes-256-gcm', material, iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const opened = Buffer.concat([decipher.update(sealed.subarray(55, sealed.length - 16)), decipher.final()]);
    expect(opened).toEqual(plaintext);
  });

  describe('properties', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 10 });
    const anyContext = fc.option(fc.dictionary(text, text, { maxKeys: 5 }), { nil: undefined });
    const anyPlaintext = fc.uint8Array({ minLength: 1, maxLength: 4096 });
    const anyVersion = fc.integer({ min: 0, max: 0xffff_ffff });

    it('any plaintext, context and version round-trip', () => {
      fc.assert(
        fc.property(anyPlaintext, anyContext, anyVersion, (data, ctx, version) => {
          const sealed = encryptSymmetric(material, keyId, version, data, ctx);
          expect(sealed).toHaveLength(HEADER_BYTES + data.length + TAG_BYTES);
          expect(parseCiphertextBlob(sealed)).toMatchObject({ keyId, version });
          expect(decrypt(sealed, ctx)).toEqual(Buffer.from(data));
        }),
      );
    });

    it('any changed byte makes the blob undecryptable', () => {
      fc.assert(
        fc.property(anyPlaintext, anyContext, fc.nat(), fc.integer({ min: 1, max: 255 }), (data, ctx, at, mask) => {
          const sealed = encryptSymmetric(material, keyId, 1, data, ctx);
          sealed[at % sealed.length]! ^= mask;
          expect(decrypt(sealed, ctx)).toBeUndefined();
        }),
      );
    });
  });
});
