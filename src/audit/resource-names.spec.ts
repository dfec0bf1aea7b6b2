import { resourceNameOf, searchedNameOf } from './resource-names';

const scope = { accountId: '111122223333', region: 'eu-west-1' };
const K = '1234abcd-12ab-34cd-56ef-1234567890ab';

describe('resource names', () => {
  it('names an alias by its alias name and a key by its id, as audit_resource_name does', () => {
    expect(resourceNameOf(`arn:aws:kms:eu-west-1:111122223333:key/${K}`)).toBe(K);
    expect(resourceNameOf('arn:aws:kms:eu-west-1:111122223333:alias/a:b/c')).toBe('alias/a:b/c');
    expect(resourceNameOf('arn:aws:kms:eu-west-1:111122223333:alias/key/x')).toBe('alias/key/x');
    expect(resourceNameOf('not:an:arn')).toBe('');
  });

  it("searches an ARN of the caller's scope by its name, and one of another scope for nothing", () => {
    expect(searchedNameOf(scope, 'alias/finance')).toBe('alias/finance');
    expect(searchedNameOf(scope, K)).toBe(K);
    expect(searchedNameOf(scope, 'arn:aws:kms:eu-west-1:111122223333:alias/finance')).toBe('alias/finance');
    expect(searchedNameOf(scope, `arn:aws:kms:eu-west-1:111122223333:key/${K}`)).toBe(K);
    expect(searchedNameOf(scope, 'arn:aws:kms:eu-west-1:444455556666:alias/finance')).toBeUndefined();
    expect(searchedNameOf(scope, 'arn:aws:kms:us-east-1:111122223333:alias/finance')).toBeUndefined();
    expect(searchedNameOf(scope, 'arn:aws-cn:kms:eu-west-1:111122223333:alias/finance')).toBeUndefined();
    expect(
      searchedNameOf(
        { accountId: '111122223333', region: 'cn-north-1' },
        `arn:aws-cn:kms:cn-north-1:111122223333:key/${K}`,
      ),
    ).toBe(K);
  });
});
