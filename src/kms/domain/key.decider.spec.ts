import {
  decideCancelKeyDeletion,
  decideCreateKey,
  decideDeleteDueKey,
  decideDisableKey,
  decideEnableKey,
  decideScheduleKeyDeletion,
} from './key.decider';
import type { KmsEvent } from './kms-events';
import { K1, SCOPE, aliasCreated, keyCreated, stateOf, thrown } from './kms-history.fixture';

const KEY_ARN = `arn:aws:kms:us-west-2:111122223333:key/${K1}`;
const schedule = (deletionDate = '2026-02-01T00:00:00.000Z'): KmsEvent => ({
  type: 'KeyDeletionScheduled',
  data: { ...SCOPE, keyId: K1, deletionDate, pendingWindowInDays: 30 },
});
const create = (over: Partial<Parameters<typeof decideCreateKey>[0]> = {}) =>
  decideCreateKey(
    {
      keyId: K1,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: undefined,
      origin: 'AWS_KMS',
      description: '',
      tags: [],
      ...over,
    },
    SCOPE,
  );

describe('decideCreateKey', () => {
  it('defaults a symmetric key to ENCRYPT_DECRYPT', () => {
    expect(create()[0]).toMatchObject({
      type: 'KeyCreated',
      data: { keyId: K1, keyUsage: 'ENCRYPT_DECRYPT', keyManager: 'CUSTOMER' },
    });
  });

  it('needs a usage for every other spec, and a compatible one', () => {
    expect(thrown(() => create({ keySpec: 'HMAC_256' })).detail).toBe(
      'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.',
    );
    expect(thrown(() => create({ keySpec: 'RSA_2048', keyUsage: 'KEY_AGREEMENT' })).detail).toBe(
      'KeyUsage KEY_AGREEMENT is not compatible with KeySpec RSA_2048',
    );
    expect(thrown(() => create({ keySpec: 'HMAC_224', keyUsage: 'ENCRYPT_DECRYPT' })).detail).toBe(
      'KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_224',
    );
    expect(create({ keySpec: 'ECC_NIST_P384', keyUsage: 'KEY_AGREEMENT' })).toHaveLength(1);
  });

  it.each([
    [Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: '' })), 'Too many tags'],
    [
      [
        { TagKey: 'a', TagValue: '1' },
        { TagKey: 'a', TagValue: '2' },
      ],
      'Duplicate tag keys',
    ],
    [[{ TagKey: 'AWS:x', TagValue: '1' }], 'Tags beginning with aws: are reserved'],
  ])('refuses bad tags (%#)', (tags, message) => {
    const e = thrown(() => create({ tags }));
    expect([e.code, e.detail]).toEqual(['TagException', message]);
  });

  it('starts an EXTERNAL key pending import', () => {
    const state = stateOf(create({ origin: 'EXTERNAL' })[0]!);
    expect(state.keys.get(K1)!.keyState).toBe('PendingImport');
  });
});

describe('enable, disable, schedule and cancel', () => {
  it('enables and disables in Enabled and Disabled, idempotently', () => {
    const state = stateOf(keyCreated(K1));
    expect(decideDisableKey(K1, state, SCOPE)[0]!.type).toBe('KeyDisabled');
    expect(decideEnableKey(K1, state, SCOPE)[0]!.type).toBe('KeyEnabled');
  });

  it('refuses them while pending deletion or import', () => {
    const pending = stateOf(keyCreated(K1), schedule());
    expect(thrown(() => decideEnableKey(K1, pending, SCOPE)).detail).toBe(`${KEY_ARN} is pending deletion.`);
    expect(thrown(() => decideDisableKey(K1, pending, SCOPE)).code).toBe('KMSInvalidStateException');
    const importing = stateOf(create({ origin: 'EXTERNAL' })[0]!);
    expect(thrown(() => decideEnableKey(K1, importing, SCOPE)).detail).toBe(`${KEY_ARN} is pending import.`);
  });

  it('schedules deletion 7–30 days out, 30 by default, to the millisecond', () => {
    const now = new Date('2026-03-01T12:00:00.123Z');
    const [event] = decideScheduleKeyDeletion(
      { keyId: K1, pendingWindowInDays: undefined },
      stateOf(keyCreated(K1)),
      SCOPE,
      now,
    );
    expect(event!.data).toMatchObject({ deletionDate: '2026-03-31T12:00:00.123Z', pendingWindowInDays: 30 });
    for (const days of [6, 31, 0]) {
      expect(
        thrown(() =>
          decideScheduleKeyDeletion({ keyId: K1, pendingWindowInDays: days }, stateOf(keyCreated(K1)), SCOPE, now),
        ).detail,
      ).toBe('PendingWindowInDays must be between 7 and 30');
    }
    expect(
      thrown(() =>
        decideScheduleKeyDeletion(
          { keyId: K1, pendingWindowInDays: 7 },
          stateOf(keyCreated(K1), schedule()),
          SCOPE,
          now,
        ),
      ).detail,
    ).toBe(`${KEY_ARN} is pending deletion.`);
  });

  it('cancels only a pending deletion, leaving the key Disabled', () => {
    expect(thrown(() => decideCancelKeyDeletion(K1, stateOf(keyCreated(K1)), SCOPE)).detail).toBe(
      `${KEY_ARN} is not pending deletion.`,
    );
    const events = decideCancelKeyDeletion(K1, stateOf(keyCreated(K1), schedule()), SCOPE);
    const key = stateOf(keyCreated(K1), schedule(), ...events).keys.get(K1)!;
    expect([key.keyState, key.deletionDate]).toEqual(['Disabled', undefined]);
  });

  it('answers NotFound for an unknown key', () => {
    expect(thrown(() => decideEnableKey(K1, stateOf(), SCOPE)).detail).toBe(`Key '${KEY_ARN}' does not exist`);
  });
});

describe('decideDeleteDueKey', () => {
  it('deletes a due key with every alias on it', () => {
    const state = stateOf(
      keyCreated(K1),
      aliasCreated('alias/b', K1),
      aliasCreated('alias/a', K1),
      schedule('2026-02-01T00:00:00.000Z'),
    );
    const events = decideDeleteDueKey(K1, state, SCOPE, new Date('2026-02-01T00:00:00.000Z'));
    expect(
      events.map((e) => [
        e.type,
        'aliasName' in e.data ? e.data.aliasName : null,
        'reason' in e.data ? e.data.reason : null,
      ]),
    ).toEqual([
      ['KeyDeleted', null, null],
      ['AliasDeleted', 'alias/a', 'key-deleted'],
      ['AliasDeleted', 'alias/b', 'key-deleted'],
    ]);
    const after = stateOf(
      keyCreated(K1),
      aliasCreated('alias/b', K1),
      aliasCreated('alias/a', K1),
      schedule(),
      ...events,
    );
    expect([after.keys.size, after.aliases.size]).toEqual([0, 0]);
  });

  it('does nothing before the date, after a cancel, or twice', () => {
    const state = stateOf(keyCreated(K1), schedule('2026-02-01T00:00:00.000Z'));
    expect(decideDeleteDueKey(K1, state, SCOPE, new Date('2026-01-31T23:59:59.999Z'))).toEqual([]);
    expect(
      decideDeleteDueKey(
        K1,
        stateOf(keyCreated(K1), schedule(), { type: 'KeyDeletionCanceled', data: { ...SCOPE, keyId: K1 } }),
        SCOPE,
        new Date('2027-01-01'),
      ),
    ).toEqual([]);
    expect(
      decideDeleteDueKey(
        K1,
        stateOf(keyCreated(K1), schedule(), { type: 'KeyDeleted', data: { ...SCOPE, keyId: K1 } }),
        SCOPE,
        new Date('2027-01-01'),
      ),
    ).toEqual([]);
  });
});
