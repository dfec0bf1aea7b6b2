import { ALIASES_PER_KEY, decideCreateAlias, decideDeleteAlias, decideUpdateAlias } from './alias.decider';
import { notFound } from './kms-error';
import { K1, K2, SCOPE, aliasCreated, keyCreated, stateOf, thrown } from './kms-history.fixture';

const ARN = (name: string) => `arn:aws:kms:us-west-2:111122223333:${name}`;
const KEY_ARN = (id: string) => `arn:aws:kms:us-west-2:111122223333:key/${id}`;

describe('decideCreateAlias', () => {
  it('creates an alias on a customer managed key', () => {
    expect(decideCreateAlias({ aliasName: 'alias/x', target: { keyId: K1 } }, stateOf(keyCreated(K1)), SCOPE)).toEqual([
      { type: 'AliasCreated', data: { ...SCOPE, aliasName: 'alias/x', keyId: K1 } },
    ]);
  });

  it('refuses a taken name before looking at the target', () => {
    const state = stateOf(keyCreated(K1), aliasCreated('alias/x', K1));
    const e = thrown(() =>
      decideCreateAlias({ aliasName: 'alias/x', target: { error: notFound("Invalid keyId 'bad'") } }, state, SCOPE),
    );
    expect([e.code, e.detail]).toEqual([
      'AlreadyExistsException',
      `An alias with the name ${ARN('alias/x')} already exists`,
    ]);
  });

  it('is case-sensitive', () => {
    const state = stateOf(keyCreated(K1), aliasCreated('alias/x', K1));
    expect(decideCreateAlias({ aliasName: 'alias/X', target: { keyId: K1 } }, state, SCOPE)).toHaveLength(1);
  });

  it('reports the target parse error next', () => {
    const e = thrown(() =>
      decideCreateAlias({ aliasName: 'alias/x', target: { error: notFound("Invalid keyId 'bad'") } }, stateOf(), SCOPE),
    );
    expect(e.detail).toBe("Invalid keyId 'bad'");
  });

  it('refuses an unknown key, an AWS managed key and a key pending deletion', () => {
    expect(
      thrown(() => decideCreateAlias({ aliasName: 'alias/x', target: { keyId: K1 } }, stateOf(), SCOPE)).detail,
    ).toBe(`Key '${KEY_ARN(K1)}' does not exist`);
    const aws = stateOf(keyCreated(K1, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS'));
    const e = thrown(() => decideCreateAlias({ aliasName: 'alias/x', target: { keyId: K1 } }, aws, SCOPE));
    expect([e.code, e.detail]).toEqual(['NotAuthorizedException', undefined]);
    const pending = stateOf(keyCreated(K1), {
      type: 'KeyDeletionScheduled',
      data: { ...SCOPE, keyId: K1, deletionDate: '2026-02-01T00:00:00.000Z', pendingWindowInDays: 30 },
    });
    const p = thrown(() => decideCreateAlias({ aliasName: 'alias/x', target: { keyId: K1 } }, pending, SCOPE));
    expect([p.code, p.detail]).toEqual(['KMSInvalidStateException', `${KEY_ARN(K1)} is pending deletion.`]);
  });

  it('allows a disabled key', () => {
    const state = stateOf(keyCreated(K1), { type: 'KeyDisabled', data: { ...SCOPE, keyId: K1 } });
    expect(decideCreateAlias({ aliasName: 'alias/x', target: { keyId: K1 } }, state, SCOPE)).toHaveLength(1);
  });

  it('allows 50 aliases per key and refuses the 51st', () => {
    const events = [
      keyCreated(K1),
      ...Array.from({ length: ALIASES_PER_KEY - 1 }, (_, i) => aliasCreated(`alias/a${i}`, K1)),
    ];
    const state49 = stateOf(...events);
    expect(decideCreateAlias({ aliasName: 'alias/fiftieth', target: { keyId: K1 } }, state49, SCOPE)).toHaveLength(1);
    const state50 = stateOf(...events, aliasCreated('alias/fiftieth', K1));
    const e = thrown(() => decideCreateAlias({ aliasName: 'alias/extra', target: { keyId: K1 } }, state50, SCOPE));
    expect([e.code, e.detail]).toEqual([
      'LimitExceededException',
      'Aliases per key quota for this account in this region is 50, current usage is 50.',
    ]);
  });
});

describe('decideUpdateAlias', () => {
  const base = [keyCreated(K1), keyCreated(K2), aliasCreated('alias/x', K1)];

  it('retargets, recording where from', () => {
    expect(decideUpdateAlias({ aliasName: 'alias/x', target: { keyId: K2 } }, stateOf(...base), SCOPE)).toEqual([
      { type: 'AliasRetargeted', data: { ...SCOPE, aliasName: 'alias/x', fromKeyId: K1, toKeyId: K2 } },
    ]);
  });

  it('accepts the same key (a no-op that bumps LastUpdatedDate)', () => {
    expect(
      decideUpdateAlias({ aliasName: 'alias/x', target: { keyId: K1 } }, stateOf(...base), SCOPE)[0]!.data,
    ).toMatchObject({
      fromKeyId: K1,
      toKeyId: K1,
    });
  });

  it('refuses a missing alias, case-sensitively', () => {
    const e = thrown(() => decideUpdateAlias({ aliasName: 'alias/X', target: { keyId: K2 } }, stateOf(...base), SCOPE));
    expect([e.code, e.detail]).toEqual(['NotFoundException', `Alias ${ARN('alias/X')} is not found.`]);
  });

  it('refuses a destination pending deletion but not a source pending deletion', () => {
    const schedule = (keyId: string) => ({
      type: 'KeyDeletionScheduled' as const,
      data: { ...SCOPE, keyId, deletionDate: '2026-02-01T00:00:00.000Z', pendingWindowInDays: 30 },
    });
    expect(
      decideUpdateAlias({ aliasName: 'alias/x', target: { keyId: K2 } }, stateOf(...base, schedule(K1)), SCOPE),
    ).toHaveLength(1);
    const e = thrown(() =>
      decideUpdateAlias({ aliasName: 'alias/x', target: { keyId: K2 } }, stateOf(...base, schedule(K2)), SCOPE),
    );
    expect(e.code).toBe('KMSInvalidStateException');
  });

  it.each([
    ['ECC_NIST_P256', 'SIGN_VERIFY', 'key usage ENCRYPT_DECRYPT to a CMK with key usage SIGN_VERIFY. The key usage'],
    [
      'HMAC_256',
      'GENERATE_VERIFY_MAC',
      'key usage ENCRYPT_DECRYPT to a CMK with key usage GENERATE_VERIFY_MAC. The key usage',
    ],
    ['RSA_2048', 'ENCRYPT_DECRYPT', 'key spec SYMMETRIC_DEFAULT to a CMK with key spec RSA_2048. The key type'],
  ])('refuses a symmetric → %s %s change', (spec, usage, text) => {
    const state = stateOf(keyCreated(K1), keyCreated(K2, spec, usage), aliasCreated('alias/x', K1));
    const e = thrown(() => decideUpdateAlias({ aliasName: 'alias/x', target: { keyId: K2 } }, state, SCOPE));
    expect(e.code).toBe('ValidationException');
    expect(e.detail).toContain(`Alias alias/x cannot be changed from a CMK with ${text}`);
  });

  it('allows another asymmetric family with the same usage', () => {
    const state = stateOf(
      keyCreated(K1, 'RSA_2048', 'SIGN_VERIFY'),
      keyCreated(K2, 'ECC_NIST_P256', 'SIGN_VERIFY'),
      aliasCreated('alias/x', K1),
    );
    expect(decideUpdateAlias({ aliasName: 'alias/x', target: { keyId: K2 } }, state, SCOPE)).toHaveLength(1);
  });

  it('refuses a full destination, but not a retarget to the same key', () => {
    const events = [...base, ...Array.from({ length: 50 }, (_, i) => aliasCreated(`alias/b${i}`, K2))];
    expect(
      thrown(() => decideUpdateAlias({ aliasName: 'alias/x', target: { keyId: K2 } }, stateOf(...events), SCOPE)).code,
    ).toBe('LimitExceededException');
    expect(decideUpdateAlias({ aliasName: 'alias/b0', target: { keyId: K2 } }, stateOf(...events), SCOPE)).toHaveLength(
      1,
    );
  });
});

describe('decideDeleteAlias', () => {
  it('deletes, recording the key it pointed to', () => {
    const state = stateOf(keyCreated(K1), aliasCreated('alias/x', K1));
    expect(decideDeleteAlias({ aliasName: 'alias/x' }, state, SCOPE)).toEqual([
      { type: 'AliasDeleted', data: { ...SCOPE, aliasName: 'alias/x', keyId: K1, reason: 'api' } },
    ]);
  });

  it('refuses a missing alias', () => {
    const e = thrown(() => decideDeleteAlias({ aliasName: 'alias/gone' }, stateOf(), SCOPE));
    expect(e.detail).toBe(`Alias ${ARN('alias/gone')} is not found.`);
  });
});
