import { namedAliasesOf } from './named-aliases';

const scope = { accountId: '111122223333', region: 'eu-west-1' };
const K = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe('the aliases a call named as its key', () => {
  it('takes KeyId, SourceKeyId and DestinationKeyId by name or by ARN of the scope, each once', () => {
    expect(namedAliasesOf(scope, { KeyId: 'alias/finance', Plain: 'alias/other' })).toEqual(['alias/finance']);
    expect(
      namedAliasesOf(scope, {
        DestinationKeyId: 'arn:aws:kms:eu-west-1:111122223333:alias/b',
        SourceKeyId: 'alias/a',
        KeyId: 'alias/b',
      }),
    ).toEqual(['alias/b', 'alias/a']);
    expect(
      namedAliasesOf({ ...scope, region: 'cn-north-1' }, { KeyId: 'arn:aws-cn:kms:cn-north-1:111122223333:alias/c' }),
    ).toEqual(['alias/c']);
  });

  it('ignores keys, ARNs of other accounts, Regions or partitions, non-strings and oversized names', () => {
    expect(namedAliasesOf(scope, { KeyId: K, SourceKeyId: `arn:aws:kms:eu-west-1:111122223333:key/${K}` })).toEqual([]);
    expect(namedAliasesOf(scope, { KeyId: 'arn:aws:kms:eu-west-1:444455556666:alias/x' })).toEqual([]);
    expect(namedAliasesOf(scope, { KeyId: 'arn:aws:kms:us-east-1:111122223333:alias/x' })).toEqual([]);
    expect(namedAliasesOf(scope, { KeyId: 'arn:aws-cn:kms:eu-west-1:111122223333:alias/x' })).toEqual([]);
    expect(namedAliasesOf(scope, { KeyId: 7, SourceKeyId: ['alias/x'] })).toEqual([]);
    expect(namedAliasesOf(scope, { KeyId: `alias/${'x'.repeat(251)}` })).toEqual([]);
    expect(namedAliasesOf(scope, { KeyId: `alias/${'x'.repeat(250)}` })).toHaveLength(1);
    // Code points, as SQL's length() counts: 250 astral characters are 500 UTF-16 units.
    expect(namedAliasesOf(scope, { KeyId: `alias/${'😀'.repeat(250)}` })).toHaveLength(1);
    expect(namedAliasesOf(scope, null)).toEqual([]);
    expect(namedAliasesOf(scope, 'alias/x')).toEqual([]);
  });
});
