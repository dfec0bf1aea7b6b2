import type { StoredEvent } from '../event-store/event.types';
import { keyArn } from '../kms/domain/identifiers';
import type { KeyMaterialRotated } from '../kms/domain/kms-events';
import { keyMaterialIdOf } from '../kms/store/key-materials';

/**
 * RotateKey's serviceEventDetails (docs/kms-behaviour.md#cloudtrail-records): the rotation and the
 * versions it went between.
 */
export function rotationDetails(event: StoredEvent): Record<string, unknown> {
  const rotation = event.data as KeyMaterialRotated;
  return {
    rotationType: rotation.rotationType,
    keyOrigin: 'AWS_KMS',
    previousKeyMaterialId: keyMaterialIdOf(keyArn(rotation, rotation.keyId), rotation.version - 1),
    currentKeyMaterialId: rotation.keyMaterialId,
  };
}
