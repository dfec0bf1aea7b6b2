import fc from 'fast-check';
import { storableString, storableValue } from './storable-value';

/** Deeply nested arrays built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

/** The expected copy, by plain recursion (the generated values are shallow). */
const cleaned = (value: unknown): unknown => {
  if (typeof value === 'string') return storableString(value).text;
  if (Array.isArray(value)) return value.map(cleaned);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [storableString(key).text, cleaned(member)]));
};

/** Whether a string is well-formed UTF-16 with no U+0000: what jsonb accepts. */
const storable = (text: string) =>
  !/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe('storableString', () => {
  it('replaces lone surrogates, high or low, anywhere, and U+0000, and counts them', () => {
    expect(storableString('alias/lone\ud800')).toEqual({ text: 'alias/lone\ufffd', replaced: 1 });
    expect(storableString('\udc00x\ud800')).toEqual({ text: '\ufffdx\ufffd', replaced: 2 });
    expect(storableString('\udc00\ud800')).toEqual({ text: '\ufffd\ufffd', replaced: 2 }); // low before high: no pair
    expect(storableString('a\u0000b')).toEqual({ text: 'a\ufffdb', replaced: 1 });
  });

  it('keeps pairs and every other code point as they are', () => {
    const odd = '\u{1F600}\uffff\u{10FFFF}\u200d\u202e\u2028\ufeff\ufffd';
    expect(storableString(odd)).toEqual({ text: odd, replaced: 0 });
  });

  it('always gives storable text, changed only where it was not', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string({ unit: fc.constantFrom('\ud800', '\udfff', '\u0000', 'a') }),
        (a, b) => {
          const text = a + b + a;
          const { text: out, replaced } = storableString(text);
          expect(storable(out)).toBe(true);
          expect(out.length).toBe(text.length);
          expect([...out].filter((c) => c === '\ufffd').length - [...text].filter((c) => c === '\ufffd').length).toBe(
            replaced,
          );
        },
      ),
    );
  });
});

describe('storableValue', () => {
  it('replaces unstorable characters in keys and values, at any depth under the limit, and counts them', () => {
    const result = storableValue({ 'k\ud800': ['\u0000', { deep: 'x\udfff' }], n: 1, b: true, z: null });
    expect(result).toEqual({
      value: { 'k\ufffd': ['\ufffd', { deep: 'x\ufffd' }], n: 1, b: true, z: null },
      replaced: 3,
      tooDeep: false,
    });
  });

  it('keeps __proto__ as a plain key, and drops what JSON would', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object;
    const { value } = storableValue({ ...parsed, gone: undefined, list: [undefined, Infinity] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true},"a":1,"list":[null,null]}');
  });

  it('replaces containers past the limit by null and says so, for a million levels too', () => {
    expect(storableValue({ a: [[1]] }, 2)).toEqual({ value: { a: [null] }, replaced: 0, tooDeep: true });
    expect(storableValue({ a: [[1]] }, 3)).toEqual({ value: { a: [[1]] }, replaced: 0, tooDeep: false });
    const deep = storableValue(nested(1_000_000), 64);
    expect(deep.tooDeep).toBe(true);
    expect(JSON.stringify(deep.value).length).toBeLessThan(200);
  });

  it('gives what JSON.stringify would, with only unstorable characters changed', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary', maxDepth: 6 }), (value) => {
        const { value: copy, tooDeep } = storableValue(value, 64);
        expect(tooDeep).toBe(false);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(cleaned(value)));
        expect(storable(JSON.stringify(copy))).toBe(true);
      }),
    );
  });
});
