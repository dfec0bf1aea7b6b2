import { AWS_MANAGED_SERVICES, decideAwsManagedKeys } from './aws-managed-keys.decider';
import { K1, SCOPE, aliasCreated, keyCreated, stateOf } from './kms-history.fixture';
import { EMPTY_STATE } from './kms-state';

describe('decideAwsManagedKeys', () => {
  const ids = () => {
    let n = 0;
    return () => `00000000-0000-0000-0000-${String(++n).padStart(12, '0')}`;
  };

  it('provisions a key and its alias/aws/<service> for every service of a new Region', () => {
    const events = decideAwsManagedKeys(EMPTY_STATE, SCOPE, ids());
    expect(events).toHaveLength(2 * AWS_MANAGED_SERVICES.length);
    const s3 = events.findIndex((e) => e.type === 'AliasCreated' && e.data.aliasName === 'alias/aws/s3');
    const [key, alias] = [events[s3 - 1], events[s3]];
    expect(key?.type).toBe('KeyCreated');
    expect(key?.data).toMatchObject({
      ...SCOPE,
      keyManager: 'AWS',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
    });
    expect(alias?.data).toMatchObject({ keyId: (key?.data as { keyId: string }).keyId });
  });

  it('provisions only what is missing', () => {
    const state = stateOf(
      keyCreated(K1, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS'),
      aliasCreated('alias/aws/s3', K1),
    );
    const events = decideAwsManagedKeys(state, SCOPE, ids());
    expect(events).toHaveLength(2 * (AWS_MANAGED_SERVICES.length - 1));
    expect(events.some((e) => e.type === 'AliasCreated' && e.data.aliasName === 'alias/aws/s3')).toBe(false);
  });

  it('decides nothing once every alias exists', () => {
    const state = stateOf(...decideAwsManagedKeys(EMPTY_STATE, SCOPE, ids()));
    expect(decideAwsManagedKeys(state, SCOPE, ids())).toEqual([]);
  });
});
