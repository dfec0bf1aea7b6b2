import type { KmsError } from './kms-error';
import type { KmsEvent } from './kms-events';
import { type KmsState, foldKms } from './kms-state';

/** Folds events as if each happened one second after the previous one, from 2026-01-01. */
export function stateOf(...events: KmsEvent[]): KmsState {
  const start = Date.parse('2026-01-01T00:00:00Z');
  return foldKms(events.map((event, i) => ({ event, occurredAt: new Date(start + i * 1000) })));
}

export const SCOPE = { accountId: '111122223333', region: 'us-west-2' } as const;
export const K1 = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const K2 = '0987dcba-09fe-87dc-65ba-ab0987654321';

export function keyCreated(
  keyId: string,
  keySpec = 'SYMMETRIC_DEFAULT',
  keyUsage = 'ENCRYPT_DECRYPT',
  keyManager: 'CUSTOMER' | 'AWS' = 'CUSTOMER',
): KmsEvent {
  return {
    type: 'KeyCreated',
    data: { ...SCOPE, keyId, keySpec, keyUsage, keyManager, origin: 'AWS_KMS', description: '', tags: [] },
  };
}

export const aliasCreated = (aliasName: string, keyId: string): KmsEvent => ({
  type: 'AliasCreated',
  data: { ...SCOPE, aliasName, keyId },
});

/** The KmsError `run` throws (fails the test when it throws none). */
export function thrown(run: () => unknown): KmsError {
  try {
    run();
  } catch (error) {
    return error as KmsError;
  }
  throw new Error('expected a KmsError, but nothing was thrown');
}
