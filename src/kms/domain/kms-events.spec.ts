import { SCOPE, K1, K2 } from './kms-history.fixture';
import { aliasAndKeyTags, keyIdOfTag, keyTag, kmsEventOf, tagsOf } from './kms-events';

describe('KMS event tags', () => {
  it('names the alias and each key a call locks', () => {
    expect(aliasAndKeyTags(SCOPE, 'alias/x', [K1, K2])).toEqual([
      'alias:111122223333:us-west-2:alias/x',
      `key:111122223333:us-west-2:${K1}`,
      `key:111122223333:us-west-2:${K2}`,
    ]);
    expect(aliasAndKeyTags(SCOPE, 'alias/x', [])).toEqual(['alias:111122223333:us-west-2:alias/x']);
  });

  it('reads the key id back from a key tag', () => {
    expect(keyIdOfTag(keyTag(SCOPE.accountId, SCOPE.region, K1))).toBe(K1);
  });

  it('stores an alias move under the alias and both keys, once each', () => {
    const moved = { type: 'AliasRetargeted', data: { ...SCOPE, aliasName: 'alias/x', fromKeyId: K1, toKeyId: K1 } };
    expect(tagsOf(kmsEventOf(moved)!)).toEqual([
      'alias:111122223333:us-west-2:alias/x',
      `key:111122223333:us-west-2:${K1}`,
    ]);
  });
});

describe('kmsEventOf', () => {
  it('leaves out a stored event of a type the KMS does not know', () => {
    expect(kmsEventOf({ type: 'KmsCallRecorded', data: {} })).toBeUndefined();
    expect(kmsEventOf({ type: 'AliasDeleted', data: { aliasName: 'alias/x' } })?.type).toBe('AliasDeleted');
  });
});
