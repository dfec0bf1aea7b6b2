import { authorizeKms } from '../../authz/authorize';
import { keyArn } from '../domain/identifiers';
import type { KmsEvent } from '../domain/kms-events';
import { keyTag } from '../domain/kms-events';
import type { KmsRequest } from '../kms-request';
import type { KmsState } from '../domain/kms-state';
import type { Decided, KmsWriter } from '../store/kms-writer';
import { keyIdOnly } from './key-reference';

/** The input of the operations on one key named by KeyId (a key id or key ARN). */
export interface KeyInput {
  readonly KeyId: string;
}

/** Runs a key-state decision on the key named by KeyId, authorised as `kms:<operation>` on that key. */
export async function onKey(
  writer: KmsWriter,
  request: KmsRequest,
  input: KeyInput,
  decide: (keyId: string) => (state: KmsState, now: Date) => readonly KmsEvent[],
): Promise<Decided & { keyId: string }> {
  const keyId = keyIdOnly(input.KeyId, request.scope);
  authorizeKms(request.principal, `kms:${request.operation}`, [keyArn(request.scope, keyId)]);
  const decided = await writer.run(
    request,
    [keyTag(request.scope.accountId, request.scope.region, keyId)],
    decide(keyId),
  );
  return { keyId, ...decided };
}
