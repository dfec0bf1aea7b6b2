import { callResources } from './call-resources';

const scope = { accountId: '111122223333', region: 'us-west-2' };
const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
const keyArn = `arn:aws:kms:us-west-2:111122223333:key/${keyId}`;
const aliasArn = 'arn:aws:kms:us-west-2:111122223333:alias/payments';

describe('callResources', () => {
  it('names the key a cryptographic call resolved, never the alias it came through', () => {
    expect(callResources('Encrypt', scope, { KeyId: 'alias/payments' }, { KeyId: keyArn })).toEqual([keyArn]);
    expect(callResources('Decrypt', scope, {}, { KeyId: keyArn })).toEqual([keyArn]);
    // Failed before an answer: no alias ARN either (CloudTrail lists keys only for these calls).
    expect(callResources('Encrypt', scope, { KeyId: 'alias/payments' }, undefined)).toEqual([]);
    expect(callResources('Encrypt', scope, { KeyId: keyId }, undefined)).toEqual([keyArn]);
  });

  it('names the keys a cryptographic call resolved before it failed, source before destination', () => {
    const destination = keyArn.replace('1234abcd', '9999abcd');
    expect(callResources('Sign', scope, { KeyId: 'alias/payments' }, undefined, [keyArn])).toEqual([keyArn]);
    expect(
      callResources('ReEncrypt', scope, { DestinationKeyId: 'alias/x' }, undefined, [keyArn, destination]),
    ).toEqual([keyArn, destination]);
  });

  it('keeps the alias of the other calls', () => {
    expect(callResources('DescribeKey', scope, { KeyId: 'alias/payments' }, undefined)).toEqual([aliasArn]);
    expect(callResources('DeleteAlias', scope, { AliasName: 'alias/payments' }, undefined)).toEqual([aliasArn]);
  });
});
