import type { KmsEvent } from './kms-events';
import { K1, SCOPE, keyCreated, stateOf, thrown } from './kms-history.fixture';
import {
  ON_DEMAND_ROTATION_LIMIT,
  decideDisableKeyRotation,
  decideEnableKeyRotation,
  decideRotateDueKey,
  decideRotateKeyOnDemand,
} from './rotation.decider';
import { rotationStatus } from './rotation-status';

const KEY_ARN = `arn:aws:kms:us-west-2:111122223333:key/${K1}`;
const NOW = new Date('2026-03-01T00:00:00.000Z');
const DAY = 86_400_000;
const idOf = (version: number) => `material-${version}`;
const rotated = (version: number, rotationType: 'ON_DEMAND' | 'AUTOMATIC' = 'ON_DEMAND'): KmsEvent => ({
  type: 'KeyMaterialRotated',
  data: { ...SCOPE, keyId: K1, rotationType, version, keyMaterialId: idOf(version) },
});

describe('the rotation deciders', () => {
  it('rotates on demand to the next version, at most ON_DEMAND_ROTATION_LIMIT times', () => {
    expect(decideRotateKeyOnDemand(K1, stateOf(keyCreated(K1)), SCOPE, idOf)).toEqual([
      {
        type: 'KeyMaterialRotated',
        data: { ...SCOPE, keyId: K1, rotationType: 'ON_DEMAND', version: 2, keyMaterialId: 'material-2' },
      },
    ]);
    const events = Array.from({ length: ON_DEMAND_ROTATION_LIMIT }, (_, i) => rotated(i + 2));
    const spent = stateOf(
      keyCreated(K1),
      rotated(2, 'AUTOMATIC'),
      ...events.map((e, i) => ({ ...e, data: { ...e.data, version: i + 3 } }) as KmsEvent),
    );
    expect(spent.keys.get(K1)!.materialVersion).toBe(ON_DEMAND_ROTATION_LIMIT + 2);
    expect(thrown(() => decideRotateKeyOnDemand(K1, spent, SCOPE, idOf)).code).toBe('LimitExceededException');
  });

  it('refuses keys that cannot rotate, by state first', () => {
    const hmac = stateOf(keyCreated(K1, 'HMAC_256', 'GENERATE_VERIFY_MAC'));
    expect(thrown(() => decideRotateKeyOnDemand(K1, hmac, SCOPE, idOf)).code).toBe('UnsupportedOperationException');
    expect(thrown(() => decideEnableKeyRotation({ keyId: K1, rotationPeriodInDays: 90 }, hmac, SCOPE, NOW)).code).toBe(
      'UnsupportedOperationException',
    );
    const disabled = stateOf(keyCreated(K1), { type: 'KeyDisabled', data: { ...SCOPE, keyId: K1 } });
    expect(thrown(() => decideDisableKeyRotation(K1, disabled, SCOPE))).toMatchObject({
      code: 'DisabledException',
      detail: `${KEY_ARN} is disabled.`,
    });
    const managed = stateOf(keyCreated(K1, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS'));
    expect(thrown(() => decideRotateKeyOnDemand(K1, managed, SCOPE, idOf)).code).toBe('UnsupportedOperationException');
  });

  it('enables with a period (default 365 days) and rotates automatically once due, moving the date by periods', () => {
    const [enabled] = decideEnableKeyRotation(
      { keyId: K1, rotationPeriodInDays: undefined },
      stateOf(keyCreated(K1)),
      SCOPE,
      NOW,
    );
    expect(enabled).toMatchObject({
      data: { rotationPeriodInDays: 365, nextRotationDate: new Date(NOW.getTime() + 365 * DAY).toISOString() },
    });
    const on = stateOf(keyCreated(K1), {
      type: 'KeyRotationEnabled',
      data: { ...SCOPE, keyId: K1, rotationPeriodInDays: 90, nextRotationDate: NOW.toISOString() },
    });
    expect(decideRotateDueKey(K1, on, SCOPE, new Date(NOW.getTime() - 1), idOf)).toEqual([]);
    // 200 days late: one rotation, and the next date is the first one after now on the period.
    const late = new Date(NOW.getTime() + 200 * DAY);
    expect(decideRotateDueKey(K1, on, SCOPE, late, idOf)).toEqual([
      {
        type: 'KeyMaterialRotated',
        data: {
          ...SCOPE,
          keyId: K1,
          rotationType: 'AUTOMATIC',
          version: 2,
          keyMaterialId: 'material-2',
          nextRotationDate: new Date(NOW.getTime() + 270 * DAY).toISOString(),
        },
      },
    ]);
    const off = stateOf(keyCreated(K1), { type: 'KeyRotationDisabled', data: { ...SCOPE, keyId: K1 } });
    expect(decideRotateDueKey(K1, off, SCOPE, late, idOf)).toEqual([]);
  });

  it('status: false for HMAC keys and while pending deletion, an error for imported material', () => {
    const key = {
      keyId: K1,
      keySpec: 'SYMMETRIC_DEFAULT',
      origin: 'AWS_KMS',
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      creationDate: NOW,
      rotationPeriodInDays: 90,
      nextRotationDate: NOW,
    };
    expect(rotationStatus(SCOPE, key, NOW)).toEqual({
      KeyId: KEY_ARN,
      KeyRotationEnabled: true,
      NextRotationDate: NOW,
      RotationPeriodInDays: 90,
    });
    expect(rotationStatus(SCOPE, { ...key, keyState: 'PendingDeletion' }, NOW)).toEqual({
      KeyId: KEY_ARN,
      KeyRotationEnabled: false,
    });
    expect(rotationStatus(SCOPE, { ...key, keySpec: 'HMAC_256' }, NOW)).toEqual({
      KeyId: KEY_ARN,
      KeyRotationEnabled: false,
    });
    expect(thrown(() => rotationStatus(SCOPE, { ...key, origin: 'EXTERNAL' }, NOW)).code).toBe(
      'UnsupportedOperationException',
    );
  });
});
