import { type Scope, keyArn } from '../domain/identifiers';
import { type KeySpec, type KeyUsage, algorithmsOf } from '../domain/key-spec';
import { keyMaterialIdOf } from '../store/key-materials';
import type { KeyRow } from '../store/kms-reader';

/**
 * A DateType on the wire: epoch seconds as a JSON number, milliseconds at most
 * (docs/kms-behaviour.md#answers-and-errors).
 */
export const epochSeconds = (date: Date) => Math.round(date.getTime()) / 1000;

/**
 * KeyMetadata of CreateKey and DescribeKey (docs/kms-behaviour.md#keys-and-their-lifecycle): absent
 * members are left out, never null.
 */
export function keyMetadata(scope: Scope, key: KeyRow): Record<string, unknown> {
  return {
    AWSAccountId: scope.accountId,
    KeyId: key.key_id,
    Arn: keyArn(scope, key.key_id),
    CreationDate: epochSeconds(key.creation_date),
    Enabled: key.key_state === 'Enabled',
    Description: key.description,
    KeyUsage: key.key_usage,
    KeyState: key.key_state,
    ...(key.deletion_date ? { DeletionDate: epochSeconds(key.deletion_date) } : {}),
    Origin: key.origin,
    KeyManager: key.key_manager,
    CustomerMasterKeySpec: key.key_spec,
    KeySpec: key.key_spec,
    ...algorithmsOf(key.key_spec as KeySpec, key.key_usage as KeyUsage),
    MultiRegion: false,
  };
}

/**
 * DescribeKey's CurrentKeyMaterialId (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous):
 * symmetric keys with KMS-made material only.
 */
export function currentKeyMaterial(scope: Scope, key: KeyRow): { CurrentKeyMaterialId?: string } {
  if (key.key_spec !== 'SYMMETRIC_DEFAULT' || key.origin !== 'AWS_KMS') return {};
  return { CurrentKeyMaterialId: keyMaterialIdOf(keyArn(scope, key.key_id), key.material_version) };
}
