import fc from 'fast-check';
import { storableJson } from './storable-json';

/** Every string (keys too) with lone surrogates and U+0000 as U+FFFD, by plain recursion. */
function replaced(value: unknown): unknown {
  const text = (s: string) =>
    s.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map(replaced);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [text(key), replaced(member)]));
}

describe('storableJson', () => {
  it('stores U+0000, which jsonb cannot hold, as U+FFFD, and leaves the literal text \\u0000 alone', () => {
    expect(JSON.parse(storableJson({ AliasName: 'alias/x\u0000y' }))).toEqual({ AliasName: 'alias/x\ufffdy' });
    expect(JSON.parse(storableJson({ text: '\\u0000' }))).toEqual({ text: '\\u0000' });
    expect(JSON.parse(storableJson({ text: '\\\u0000' }))).toEqual({ text: '\\\ufffd' });
  });

  it('stores lone surrogates, high or low, in keys or values, as U+FFFD, and keeps pairs and their literal escapes', () => {
    expect(JSON.parse(storableJson({ AliasName: 'alias/lone\ud800' }))).toEqual({ AliasName: 'alias/lone\ufffd' });
    expect(JSON.parse(storableJson({ ['k\udfff']: ['\udc00\ud800', '\u{1F600}'] }))).toEqual({
      ['k\ufffd']: ['\ufffd\ufffd', '\u{1F600}'],
    });
    expect(JSON.parse(storableJson({ text: '\\ud800' }))).toEqual({ text: '\\ud800' });
    expect(storableJson({ text: '\\\ud800' })).toBe('{"text":"\\\\\\ufffd"}');
  });

  it('changes nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), (value) => {
        const stored = JSON.parse(storableJson(value));
        expect(stored).toEqual(replaced(JSON.parse(JSON.stringify(value))));
      }),
    );
  });

  it('never leaves a lone surrogate or U+0000 escape for PostgreSQL to refuse', () => {
    const hostile = fc.string({
      unit: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\u0000', '\\', 'u', 'd', '8', 'a'),
    });
    fc.assert(
      fc.property(fc.dictionary(hostile, fc.oneof(hostile, fc.array(hostile))), (value) => {
        expect(storableJson(value)).not.toMatch(/(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f])/);
      }),
    );
  });
});
