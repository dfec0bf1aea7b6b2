import fc from 'fast-check';
import { hasGraphqlErrors, prettyJson } from './json-output';

describe('the JSON the command prints', () => {
  it('is indented as JSON.stringify(value, null, 2) indents it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(prettyJson(text)).toBe(JSON.stringify(JSON.parse(text), null, 2));
      }),
      { numRuns: 300 },
    );
    expect(prettyJson('{ "a" : [ ] , "b" : { } }')).toBe('{\n  "a": [],\n  "b": {}\n}');
  });

  it('keeps every digit of a number and the escapes of a string, as the service wrote them', () => {
    expect(prettyJson('{"position":9223372036854775807,"s":"\\u00e9\\"}{,:"}')).toBe(
      '{\n  "position": 9223372036854775807,\n  "s": "\\u00e9\\"}{,:"\n}',
    );
  });

  it('is undefined for what is not JSON', () => {
    expect(prettyJson('<html>')).toBeUndefined();
    expect(prettyJson('')).toBeUndefined();
  });

  it('tells a GraphQL answer with errors', () => {
    expect(hasGraphqlErrors('{"data":null,"errors":[{"message":"x"}]}')).toBe(true);
    expect(hasGraphqlErrors('{"data":{"a":1}}')).toBe(false);
    expect(hasGraphqlErrors('{"data":{"a":1},"errors":[]}')).toBe(false);
    expect(hasGraphqlErrors('not json')).toBe(false);
  });
});
