import { KmsError } from '../kms/domain/kms-error';
import { parseAwsJson } from './aws-json-body';
import { MAX_JSON_DEPTH } from '../event-store/json-depth-limit';
import { nestsDeeperThan } from './json-nesting';

const nested = (levels: number, open = '[', close = ']') => open.repeat(levels) + close.repeat(levels);

describe('nestsDeeperThan', () => {
  it('counts objects and arrays, not brackets inside strings or after escaped quotes', () => {
    expect(nestsDeeperThan('{"a":[[1]]}', 3)).toBe(false);
    expect(nestsDeeperThan('{"a":[[1]]}', 2)).toBe(true);
    expect(nestsDeeperThan('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a\\\\":[[[]]]}', 3)).toBe(true);
    expect(nestsDeeperThan('', 0)).toBe(false);
  });

  it('scans a million levels without recursion', () => {
    expect(nestsDeeperThan(nested(1_000_000), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
  });
});

describe('parseAwsJson', () => {
  it('refuses a body nesting deeper than the limit as a SerializationException, in keys or values', () => {
    for (const body of [
      nested(50_000),
      nested(MAX_JSON_DEPTH + 1),
      `{"a":${nested(MAX_JSON_DEPTH, '{"k":', '}').replace(/:}/, ':1}')}}`,
    ]) {
      const error = (() => {
        try {
          parseAwsJson(Buffer.from(body));
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(KmsError);
      expect(error).toMatchObject({ code: 'SerializationException', status: 400 });
    }
  });

  it('still parses bodies at the limit', () => {
    expect(parseAwsJson(Buffer.from(nested(MAX_JSON_DEPTH)))).toBeInstanceOf(Array);
    expect(parseAwsJson(Buffer.from('{"AliasName":"alias/[x]"}'))).toEqual({ AliasName: 'alias/[x]' });
  });
});
