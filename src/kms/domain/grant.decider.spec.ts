import type { GrantEvent } from './grant-events';
import { foldGrants } from './grant-state';
import { type CreateGrant, decideCreateGrant, decideRetireGrant, decideRevokeGrant } from './grant.decider';
import { K1, SCOPE, keyCreated, stateOf, thrown } from './kms-history.fixture';
import type { KmsEvent } from './kms-events';

const KEY_ARN = `arn:aws:kms:us-west-2:111122223333:key/${K1}`;
const G1 = 'a'.repeat(64);
const G2 = 'b'.repeat(64);
const command = (over: Partial<CreateGrant> = {}): CreateGrant => ({
  keyId: K1,
  newGrantId: G2,
  granteePrincipal: 'arn:aws:iam::111122223333:role/app',
  operations: ['Encrypt', 'Decrypt'],
  dryRun: false,
  ...over,
});
/** The key after `keyEvents`, with the grants `grantEvents` leave. */
const given = (keyEvents: KmsEvent[], grantEvents: GrantEvent[] = []) => ({
  key: stateOf(...keyEvents).keys.get(K1),
  grants: foldGrants(grantEvents.map((event) => ({ event, occurredAt: new Date('2026-01-02T00:00:00Z') }))),
});
const created = (over: Partial<CreateGrant> = {}): GrantEvent =>
  decideCreateGrant(command({ newGrantId: G1, ...over }), given([keyCreated(K1)]), SCOPE).events[0]!;
const symmetric = [keyCreated(K1)];

describe('the grant decider', () => {
  it('creates a grant with what was given, leaving out what was not', () => {
    expect(decideCreateGrant(command({ name: 'n' }), given(symmetric), SCOPE)).toEqual({
      grantId: G2,
      events: [
        {
          type: 'GrantCreated',
          data: {
            ...SCOPE,
            keyId: K1,
            grantId: G2,
            name: 'n',
            granteePrincipal: command().granteePrincipal,
            operations: ['Encrypt', 'Decrypt'],
          },
        },
      ],
    });
  });

  it('answers a named retry with identical parameters with the live grant, and nothing to append', () => {
    const live = created({ name: 'n' });
    const again = command({ name: 'n', operations: ['Decrypt', 'Encrypt'] });
    expect(decideCreateGrant(again, given(symmetric, [live]), SCOPE)).toEqual({ grantId: G1, events: [] });
    // Other parameters, no name, or a retired grant: a new grant.
    expect(
      decideCreateGrant(command({ name: 'n', operations: ['Decrypt'] }), given(symmetric, [live]), SCOPE).grantId,
    ).toBe(G2);
    expect(decideCreateGrant(command(), given(symmetric, [created()]), SCOPE).grantId).toBe(G2);
    const retired: GrantEvent = { type: 'GrantRetired', data: { ...SCOPE, keyId: K1, grantId: G1 } };
    expect(decideCreateGrant(again, given(symmetric, [live, retired]), SCOPE).grantId).toBe(G2);
  });

  it('refuses keys that are gone or unusable, with AWS codes and texts', () => {
    const disabled: KmsEvent = { type: 'KeyDisabled', data: { ...SCOPE, keyId: K1 } };
    const pending: KmsEvent = {
      type: 'KeyDeletionScheduled',
      data: { ...SCOPE, keyId: K1, deletionDate: '2026-02-01T00:00:00.000Z', pendingWindowInDays: 7 },
    };
    const cases: [KmsEvent[], string, string][] = [
      [[], 'NotFoundException', `Key '${KEY_ARN}' does not exist`],
      [[keyCreated(K1), disabled], 'DisabledException', `${KEY_ARN} is disabled.`],
      [[keyCreated(K1), pending], 'KMSInvalidStateException', `${KEY_ARN} is pending deletion.`],
    ];
    for (const [history, code, message] of cases)
      expect(thrown(() => decideCreateGrant(command(), given(history), SCOPE))).toMatchObject({
        code,
        detail: message,
      });
  });

  it('allows only operations the key type can do, and constraints only on symmetric keys', () => {
    const refused = (over: Partial<CreateGrant>, history = symmetric) =>
      thrown(() => decideCreateGrant(command(over), given(history), SCOPE));
    expect(refused({ operations: ['Decrypt', 'Sign'] })).toMatchObject({
      code: 'ValidationException',
      detail: 'Grant operation Sign is not supported for this key.',
    });
    const hmac = [keyCreated(K1, 'HMAC_256', 'GENERATE_VERIFY_MAC')];
    const signing = [keyCreated(K1, 'ECC_NIST_P256', 'SIGN_VERIFY')];
    expect(refused({ operations: ['GenerateDataKey'] }, hmac).detail).toBe(
      'Grant operation GenerateDataKey is not supported for this key.',
    );
    expect(
      decideCreateGrant(command({ operations: ['GenerateMac', 'DescribeKey'] }), given(hmac), SCOPE).events,
    ).toHaveLength(1);
    expect(
      decideCreateGrant(command({ operations: ['Sign', 'GetPublicKey'] }), given(signing), SCOPE).events,
    ).toHaveLength(1);
    const equals = { EncryptionContextEquals: { a: 'b' } };
    expect(refused({ operations: ['Verify'], constraints: equals }, signing).detail).toBe(
      'Grant constraints are not supported for this key.',
    );
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']));
    expect(refused({ constraints: { EncryptionContextSubset: many } }).detail).toBe(
      'Grant constraint has too many encryption context pairs.',
    );
    expect(refused({ constraints: { EncryptionContextSubset: { k: 'v'.repeat(385) } } }).code).toBe(
      'ValidationException',
    );
    // An empty structure constrains nothing, and is not stored.
    const plain = decideCreateGrant(command({ constraints: {} }), given(symmetric), SCOPE);
    expect(plain.events[0]!.data).not.toHaveProperty('constraints');
  });

  it('answers DryRun after every check, and appends nothing', () => {
    expect(thrown(() => decideCreateGrant(command({ dryRun: true }), given(symmetric), SCOPE)).code).toBe(
      'DryRunOperationException',
    );
    expect(
      thrown(() => decideRevokeGrant({ keyId: K1, grantId: G1, dryRun: true }, given(symmetric, [created()]), SCOPE))
        .code,
    ).toBe('DryRunOperationException');
  });

  it('retires and revokes live grants only, in any key state', () => {
    const live = [created()];
    const of = given(symmetric, live);
    expect(decideRetireGrant({ keyId: K1, grantId: G1, byToken: true, dryRun: false }, of, SCOPE)).toEqual([
      { type: 'GrantRetired', data: { ...SCOPE, keyId: K1, grantId: G1 } },
    ]);
    expect(decideRevokeGrant({ keyId: K1, grantId: G1, dryRun: false }, of, SCOPE)).toEqual([
      { type: 'GrantRevoked', data: { ...SCOPE, keyId: K1, grantId: G1 } },
    ]);
    const disabled: KmsEvent = { type: 'KeyDisabled', data: { ...SCOPE, keyId: K1 } };
    expect(
      decideRevokeGrant({ keyId: K1, grantId: G1, dryRun: false }, given([...symmetric, disabled], live), SCOPE),
    ).toHaveLength(1);
    expect(thrown(() => decideRevokeGrant({ keyId: K1, grantId: G2, dryRun: false }, of, SCOPE))).toMatchObject({
      code: 'NotFoundException',
      detail: `Grant ID ${G2} not found`,
    });
    expect(
      thrown(() => decideRetireGrant({ keyId: K1, grantId: G2, byToken: true, dryRun: false }, of, SCOPE)),
    ).toMatchObject({
      code: 'InvalidGrantTokenException',
      detail: undefined,
    });
    // A deleted key's grants are gone with it, whatever its grant stream still says.
    expect(
      thrown(() => decideRetireGrant({ keyId: K1, grantId: G1, byToken: true, dryRun: false }, given([], live), SCOPE))
        .code,
    ).toBe('InvalidGrantTokenException');
    expect(
      thrown(() => decideRevokeGrant({ keyId: K1, grantId: G1, dryRun: false }, given([], live), SCOPE)).code,
    ).toBe('NotFoundException');
  });
});
