import { type Scope, keyArn } from './identifiers';
import { KmsError } from './kms-error';
import { DEFAULT_ROTATION_PERIOD_DAYS } from './rotation.decider';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What GetKeyRotationStatus needs of a key (a row of the current model). */
export interface RotatingKey {
  readonly keyId: string;
  readonly keySpec: string;
  readonly origin: string;
  readonly keyManager: string;
  readonly keyState: string;
  readonly creationDate: Date;
  readonly rotationPeriodInDays: number | undefined;
  readonly nextRotationDate: Date | undefined;
}

/**
 * GetKeyRotationStatus (docs/kms-behaviour.md#rotation, #decisions-where-aws-is-ambiguous): false, not
 * an error, for asymmetric and HMAC keys (Terraform reads it for every key) and while the key is
 * pending deletion (its setting comes back with CancelKeyDeletion); an error only for a key of imported
 * material. AWS managed keys rotate every year from their creation.
 */
export function rotationStatus(scope: Scope, key: RotatingKey, now: Date): Record<string, unknown> {
  const arn = keyArn(scope, key.keyId);
  if (key.origin === 'EXTERNAL')
    throw new KmsError(
      'UnsupportedOperationException',
      `${arn} origin is EXTERNAL which is not valid for this operation.`,
    );
  const disabled = { KeyId: arn, KeyRotationEnabled: false };
  if (key.keySpec !== 'SYMMETRIC_DEFAULT' || key.keyState === 'PendingDeletion') return disabled;
  if (key.keyManager === 'AWS') {
    const period = DEFAULT_ROTATION_PERIOD_DAYS * DAY_MS;
    const elapsed = Math.floor((now.getTime() - key.creationDate.getTime()) / period) + 1;
    const next = new Date(key.creationDate.getTime() + elapsed * period);
    return {
      KeyId: arn,
      KeyRotationEnabled: true,
      NextRotationDate: next,
      RotationPeriodInDays: DEFAULT_ROTATION_PERIOD_DAYS,
    };
  }
  if (key.rotationPeriodInDays === undefined || key.nextRotationDate === undefined) return disabled;
  return {
    KeyId: arn,
    KeyRotationEnabled: true,
    NextRotationDate: key.nextRotationDate,
    RotationPeriodInDays: key.rotationPeriodInDays,
  };
}
