import fc from 'fast-check';
import { CanonicalBytes, canonicalJsonbText } from './canonical-bytes';
import { NotJsonb } from './jsonb-bytes';
import { canonicalJson } from './canonical-json';

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

const writer = new CanonicalBytes();
const canonical = (jsonb: string) => {
  writer.reset();
  const bytes = Buffer.from(`..${jsonb}..`); // not at offset 0, and not to the end of the buffer
  writer.jsonb(bytes, 2, bytes.length - 2);
  return writer.view().toString('utf8');
};

describe('CanonicalBytes', () => {
  it.each(['binary-ascii', 'grapheme', 'binary'] as const)(
    'writes canonicalJson of any value from its jsonb text (strings of %s)',
    (stringUnit) => {
      fc.assert(
        fc.property(fc.jsonValue({ stringUnit }), (value) => {
          const normalised = JSON.parse(JSON.stringify(value)) as unknown;
          let expected: string;
          try {
            expected = canonicalJson(normalised);
          } catch {
            return; // not JSON after all (a number out of range)
          }
          try {
            expect(canonical(asJsonb(normalised))).toBe(expected);
          } catch (error) {
            // Only what jsonb cannot print is refused (e.g. an escape JSON.stringify does not write).
            if (!(error instanceof NotJsonb)) throw error;
            expect(asJsonb(normalised)).toMatch(/\\u[dD]/);
          }
        }),
        { numRuns: 500 },
      );
    },
  );

  it.each([
    ['{"b": 1.50, "a": 2000, "c": 1000000000000000000000}', '{"a":2000,"b":1.5,"c":1e+21}'],
    ['{"n": 12345678901234567890, "m": -0, "z": 0.000001}', '{"m":0,"n":12345678901234567000,"z":0.000001}'],
    [
      '{"b": "\\u001f\\n\\"\\\\", "a": [true, null, false, {}, []]}',
      '{"a":[true,null,false,{},[]],"b":"\\u001f\\n\\"\\\\"}',
    ],
    ['{"e": 2, "é": 1, "a": {"\\"": 1, "x": {"d": 1, "c": 2}}}', '{"a":{"\\"":1,"x":{"c":2,"d":1}},"e":2,"é":1}'],
    // U+1F600 sorts before U+FB33 by UTF-16 code units (0xD83D), after it by code points
    ['{"\ufb33": 1, "\ud83d\ude00": 2}', '{"\ud83d\ude00":2,"\ufb33":1}'],
    ['{"10": 1, "9": 2}', '{"10":1,"9":2}'],
  ])('%s', (input, expected) => {
    expect(canonical(input)).toBe(expected);
  });

  it('refuses what jsonb does not print, for the string path to take', () => {
    for (const input of [
      '{"a":1}',
      '{"a": 1,"b": 2}',
      '{"a": 1, "a": 2}',
      '{"b": 1, "a": 2, "b": 3}',
      '"\\u0041"',
      '{"a": 1e999}',
      '{"a": ',
    ])
      expect(() => canonical(input)).toThrow(NotJsonb);
  });

  it('escapes raw text as JSON.stringify does, and writes a uuid as PostgreSQL prints it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        writer.reset();
        const bytes = Buffer.from(text);
        writer.jsonString(bytes, 0, bytes.length);
        expect(writer.view().toString('utf8')).toBe(JSON.stringify(text));
      }),
    );
    writer.reset();
    writer.uuid(Buffer.from('0b6f1f8e2f0e4d399d572a3f4b5c6d7e', 'hex'), 0);
    expect(writer.view().toString()).toBe('"0b6f1f8e-2f0e-4d39-9d57-2a3f4b5c6d7e"');
  });

  it('grows past its first buffer', () => {
    const big = { a: 'x'.repeat(100_000), b: Array.from({ length: 5000 }, (_, i) => ({ [`k${i}`]: i })) };
    expect(canonical(asJsonb(big))).toBe(canonicalJson(big));
  });
});

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
