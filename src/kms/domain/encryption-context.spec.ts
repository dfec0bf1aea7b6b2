import fc from 'fast-check';
import { type EncryptionContext, canonicalEncryptionContext } from './encryption-context';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** Reads the documented layout back: u32 BE length and bytes, key then value, to the end. */
function decode(bytes: Uint8Array): [Uint8Array, Uint8Array][] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const fields: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const length = view.getUint32(at);
    fields.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
    if (at > bytes.length) throw new Error('a field runs past the end');
  }
  if (fields.length % 2 !== 0) throw new Error('a key without a value');
  return Array.from({ length: fields.length / 2 }, (_, i) => [fields[2 * i]!, fields[2 * i + 1]!]);
}

describe('canonicalEncryptionContext', () => {
  it('is empty for an absent context and for {} alike', () => {
    expect(canonicalEncryptionContext(undefined)).toEqual(new Uint8Array(0));
    expect(canonicalEncryptionContext({})).toEqual(new Uint8Array(0));
  });

  it('writes each key and value as a u32 big-endian length and its UTF-8, pairs sorted by key', () => {
    expect(hex(canonicalEncryptionContext({ b: '', a: 'xy' }))).toBe(
      '00000001' + '61' + '00000002' + '7879' + '00000001' + '62' + '00000000',
    );
  });

  it('takes empty keys and values as pairs like any other', () => {
    expect(hex(canonicalEncryptionContext({ '': '' }))).toBe('0000000000000000');
    expect(hex(canonicalEncryptionContext({ '': 'a' }))).not.toBe(hex(canonicalEncryptionContext({ a: '' })));
    expect(canonicalEncryptionContext({ '': '' })).not.toEqual(canonicalEncryptionContext({}));
  });

  it('does not depend on the order the pairs came in', () => {
    expect(canonicalEncryptionContext({ a: '1', b: '2', c: '3' })).toEqual(
      canonicalEncryptionContext({ c: '3', a: '1', b: '2' }),
    );
  });

  it('tells apart contexts whose concatenated text is the same', () => {
    const contexts: EncryptionContext[] = [{ ab: 'c' }, { a: 'bc' }, { abc: '' }, { '': 'abc' }, { a: 'b', c: '' }];
    const encodings = contexts.map((c) => hex(canonicalEncryptionContext(c)));
    expect(new Set(encodings).size).toBe(encodings.length);
  });

  it('is case-sensitive in keys and values', () => {
    expect(canonicalEncryptionContext({ Purpose: 'x' })).not.toEqual(canonicalEncryptionContext({ purpose: 'x' }));
    expect(canonicalEncryptionContext({ purpose: 'X' })).not.toEqual(canonicalEncryptionContext({ purpose: 'x' }));
  });

  it('sorts unicode keys by their UTF-8 bytes, not by UTF-16 code units', () => {
    // U+FF61 is EF BD A1 in UTF-8 but 0xFF61 in UTF-16; U+1F600 is F0 9F 98 80 but 0xD83D 0xDE00.
    const halfwidth = '\uff61';
    const emoji = '\u{1f600}';
    expect([halfwidth, emoji].sort()).toEqual([emoji, halfwidth]);
    const pairs = decode(canonicalEncryptionContext({ [emoji]: '1', [halfwidth]: '2', z: '3', é: '4' }));
    expect(pairs.map(([key]) => hex(key))).toEqual(['7a', 'c3a9', 'efbda1', 'f09f9880']);
  });

  it('keeps a __proto__ key parsed from JSON as a pair', () => {
    const context = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    expect(decode(canonicalEncryptionContext(context)).map(([k, v]) => [hex(k), hex(v)])).toEqual([
      [hex(utf8('__proto__')), hex(utf8('x'))],
    ]);
  });

  it('writes a lone surrogate as its own code point, so it does not meet U+FFFD', () => {
    expect(hex(canonicalEncryptionContext({ a: '\ud800' }))).toBe('00000001' + '61' + '00000003' + 'eda080');
    expect(canonicalEncryptionContext({ a: '\ud800' })).not.toEqual(canonicalEncryptionContext({ a: '\ufffd' }));
    expect(canonicalEncryptionContext({ '\udc00': '' })).not.toEqual(canonicalEncryptionContext({ '\ufffd': '' }));
  });

  it('reads back as the context, keys strictly ascending by UTF-8 bytes (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    fc.assert(
      fc.property(fc.dictionary(text, text, { maxKeys: 8 }), (context) => {
        const pairs = decode(canonicalEncryptionContext(context));
        const decoder = new TextDecoder('utf-8', { fatal: true });
        expect(Object.fromEntries(pairs.map(([k, v]) => [decoder.decode(k), decoder.decode(v)]))).toEqual({
          ...context,
        });
        expect(pairs).toHaveLength(Object.keys(context).length);
        for (let i = 1; i < pairs.length; i++) expect(Buffer.compare(pairs[i - 1]![0], pairs[i]![0])).toBe(-1);
      }),
    );
  });

  it('gives different contexts different encodings (property)', () => {
    // A two-letter alphabet, so that equal contexts and near misses ({"ab":"a"}, {"a":"ba"}) come up.
    const text = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 3 });
    const context = fc.dictionary(text, text, { maxKeys: 3 });
    const sorted = (c: Record<string, string>) =>
      JSON.stringify(Object.entries(c).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
    fc.assert(
      fc.property(context, context, (a, b) => {
        const same = sorted(a) === sorted(b);
        expect(hex(canonicalEncryptionContext(a)) === hex(canonicalEncryptionContext(b))).toBe(same);
      }),
    );
  });
});
