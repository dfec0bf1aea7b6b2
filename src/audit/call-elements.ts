import type { StoredEvent } from '../event-store/event.types';
import { keyArn } from '../kms/domain/identifiers';
import type { KeyCreated } from '../kms/domain/kms-events';
import { algorithmsOf, type KeySpec, type KeyUsage } from '../kms/domain/key-spec';
import { lowerCamel, responseDateOf } from './cloudtrail-format';

/** The members as sent, in lowerCamelCase; CreateKey's also show the defaults KMS applied. */
export function requestParametersOf(event: StoredEvent, eventName: string): unknown {
  // RetireGrant's record shows none, whatever form it took: one form is the secret token
  // (docs/kms-behaviour.md#cloudtrail-records).
  if (eventName === 'RetireGrant') return null;
  const sent = event.metadata.requestParameters;
  // GenerateRandom's record shows none, whatever was sent (as the Developer Guide's example shows).
  if (sent === undefined || sent === null || eventName === 'GenerateRandom') return null;
  if (event.type !== 'KeyCreated' || eventName !== 'CreateKey') return lowerCamel(sent);
  const key = event.data as KeyCreated;
  return {
    description: key.description,
    origin: key.origin,
    bypassPolicyLockoutSafetyCheck: false,
    customerMasterKeySpec: key.keySpec,
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    tags: lowerCamel(key.tags),
    multiRegion: false,
    ...(lowerCamel(sent) as Record<string, unknown>),
  };
}

/** CreateKey's responseElements.keyMetadata (docs/kms-behaviour.md#cloudtrail-records), from the event. */
export function createdKeyMetadata(event: StoredEvent): Record<string, unknown> {
  const key = event.data as KeyCreated;
  return {
    aWSAccountId: key.accountId,
    keyId: key.keyId,
    arn: keyArn(key, key.keyId),
    creationDate: responseDateOf(event.occurredAt),
    enabled: key.origin !== 'EXTERNAL',
    description: key.description,
    keyUsage: key.keyUsage,
    keyState: key.origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
    origin: key.origin,
    keyManager: key.keyManager,
    customerMasterKeySpec: key.keySpec,
    keySpec: key.keySpec,
    ...(lowerCamel(algorithmsOf(key.keySpec as KeySpec, key.keyUsage as KeyUsage)) as Record<string, unknown>),
    multiRegion: false,
  };
}
