import * as os from 'node:os';
import * as path from 'node:path';
import type { GraphQLError } from 'graphql';
import { SystemClock } from '../clock/clock';
import type { Config } from '../config/config';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { afterAlias, aliasCursor, pageSizeOf, scopeOf } from './query-arguments';

const tokens = new PageTokens(
  { ledgerKeyFile: path.join(os.tmpdir(), 'query-arguments-spec', 'ledger-signing-key.pem') } as Config,
  new SystemClock(),
);

const caller = {
  accessKeyId: 'AKIAEXAMPLE0000001',
  secretAccessKey: 'secret',
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:user/alice',
  userName: 'alice',
};

describe('query arguments', () => {
  it("scopes every query to the caller's account", () => {
    expect(scopeOf(caller, 'eu-west-1')).toEqual({ accountId: '111122223333', region: 'eu-west-1' });
    expect(() => scopeOf(caller, 'Mars')).toThrow(/Unknown Region/);
    expect(() => scopeOf(undefined, 'eu-west-1')).toThrow(/Not authenticated/);
  });

  it('round-trips cursors and refuses ones it did not issue', () => {
    const scope = { accountId: '111122223333', region: 'eu-west-1' };
    expect(afterAlias(tokens, scope, aliasCursor(tokens, scope, 'alias/ünïcode'))).toBe('alias/ünïcode');
    expect(afterAlias(tokens, scope, undefined)).toBeUndefined();
    expect(afterAlias(tokens, scope, null)).toBeUndefined();
    const refusal = (cursor: string, on = scope) => {
      try {
        afterAlias(tokens, on, cursor);
      } catch (error) {
        return { message: (error as GraphQLError).message, extensions: (error as GraphQLError).extensions };
      }
      return undefined;
    };
    const refused = {
      message: expect.stringMatching(/not a cursor/),
      extensions: { code: 'BAD_USER_INPUT', reason: 'InvalidCursor' },
    };
    // The cursors of before (base64url of "alias:<name>") no longer page.
    expect(refusal(Buffer.from('alias:alias/x').toString('base64url'))).toEqual(refused);
    expect(refusal('%%%')).toEqual(refused);
    expect(refusal(aliasCursor(tokens, scope, 'alias/x'), { ...scope, accountId: '444455556666' })).toEqual(refused);
  });

  it('takes pages of 1 to 1000', () => {
    expect(pageSizeOf(1)).toBe(1);
    expect(pageSizeOf(1000)).toBe(1000);
    for (const bad of [0, 1001, -1, 1.5]) expect(() => pageSizeOf(bad)).toThrow(/between 1 and 1000/);
  });
});
