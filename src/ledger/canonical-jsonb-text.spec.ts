import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { canonicalJsonbText } from './canonical-bytes';

/** A value as jsonb prints it: members by length, then bytes; `: ` and `, ` between tokens. */
function asJsonb(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(asJsonb).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const names = Object.keys(value).sort(
      (a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    return `{${names.map((name) => `${JSON.stringify(name)}: ${asJsonb((value as Record<string, unknown>)[name])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalJsonbText', () => {
  it.each(['binary-ascii', 'grapheme', 'binary'] as const)(
    'gives canonicalJson of the value for any value as jsonb prints it (strings of %s)',
    (stringUnit) => {
      fc.assert(
        fc.property(fc.jsonValue({ stringUnit }), (value) => {
          const normalised = JSON.parse(JSON.stringify(value)) as unknown;
          expect(canonicalJsonbText(asJsonb(normalised))).toBe(canonicalJson(normalised));
        }),
        { numRuns: 500 },
      );
    },
  );

  it('gives canonicalJsonText for any JSON text at all', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, '\t'), (value, indent) => {
        const normalised = JSON.parse(JSON.stringify(value)) as unknown;
        expect(canonicalJsonbText(JSON.stringify(normalised, null, indent))).toBe(canonicalJson(normalised));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['{"b": 1.50, "a": 2000, "c": 1E+21}', '{"a":2000,"b":1.5,"c":1e+21}'],
    ['{"n": 12345678901234567890, "m": -0, "z": 0.000001}', '{"m":0,"n":12345678901234567000,"z":0.000001}'],
    ['{"a": "\\u0041\\/", "b": "\\u001f\\n\\"\\\\"}', '{"a":"A/","b":"\\u001f\\n\\"\\\\"}'],
    ['{"\\u00e9": 1, "e": 2, "a": {"\\"": [true, null, false]}}', '{"a":{"\\"":[true,null,false]},"e":2,"é":1}'],
    ['{"a": 1, "a": 2}', '{"a":2}'],
    ['{"10": 1, "9": 2}', '{"10":1,"9":2}'],
    ['[]', '[]'],
    ['{}', '{}'],
    ['"x"', '"x"'],
  ])('%s', (input, canonical) => {
    expect(canonicalJsonbText(input)).toBe(canonical);
  });

  it('refuses what is not JSON', () => {
    expect(() => canonicalJsonbText('{"a": ')).toThrow(SyntaxError);
    expect(() => canonicalJsonbText('')).toThrow(SyntaxError);
    expect(() => canonicalJsonbText('{"a": 1e999}')).toThrow(TypeError);
  });
});
