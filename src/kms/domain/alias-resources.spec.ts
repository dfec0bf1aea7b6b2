import { createAliasResources, deleteAliasResources, updateAliasResources } from './alias-resources';
import { validation } from './kms-error';
import { K1, K2, SCOPE, aliasCreated, keyCreated, stateOf } from './kms-history.fixture';

const ALIAS = 'arn:aws:kms:us-west-2:111122223333:alias/x';
const arn = (keyId: string) => `arn:aws:kms:us-west-2:111122223333:key/${keyId}`;

describe('the resources an alias call is authorised on', () => {
  const state = stateOf(keyCreated(K1), keyCreated(K2), aliasCreated('alias/x', K1));

  it('CreateAlias: the alias and the key it targets, or only the alias when the target did not parse', () => {
    expect(createAliasResources(SCOPE, 'alias/x', { keyId: K2 })).toEqual([ALIAS, arn(K2)]);
    expect(createAliasResources(SCOPE, 'alias/x', { error: validation('bad') })).toEqual([ALIAS]);
  });

  it('UpdateAlias: the alias, the key it points to now and the new key', () => {
    expect(updateAliasResources(SCOPE, 'alias/x', state, { keyId: K2 })).toEqual([ALIAS, arn(K1), arn(K2)]);
    expect(updateAliasResources(SCOPE, 'alias/y', state, { keyId: K2 })).toEqual([
      'arn:aws:kms:us-west-2:111122223333:alias/y',
      arn(K2),
    ]);
  });

  it('DeleteAlias: the alias and the key it points to now', () => {
    expect(deleteAliasResources(SCOPE, 'alias/x', state)).toEqual([ALIAS, arn(K1)]);
    expect(deleteAliasResources(SCOPE, 'alias/gone', state)).toEqual(['arn:aws:kms:us-west-2:111122223333:alias/gone']);
  });
});
