import { afterAlias, aliasCursor, pageSizeOf, scopeOf } from './query-arguments';

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
    expect(afterAlias(aliasCursor('alias/ünïcode'))).toBe('alias/ünïcode');
    expect(afterAlias(undefined)).toBeUndefined();
    expect(afterAlias(null)).toBeUndefined();
    expect(() => afterAlias(Buffer.from('alias/x').toString('base64url'))).toThrow(/not a cursor/);
    expect(() => afterAlias('%%%')).toThrow(/not a cursor/);
  });

  it('takes pages of 1 to 1000', () => {
    expect(pageSizeOf(1)).toBe(1);
    expect(pageSizeOf(1000)).toBe(1000);
    for (const bad of [0, 1001, -1, 1.5]) expect(() => pageSizeOf(bad)).toThrow(/between 1 and 1000/);
  });
});
