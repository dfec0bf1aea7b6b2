import { randomUUID } from 'node:crypto';
import { callResources } from '../../src/audit/call-resources';
import { KMS_CALL_RECORDED, type KmsCallRecorded } from '../../src/audit/kms-call-recorded';
import { type Scope, aliasArn, keyArn } from '../../src/kms/domain/identifiers';
import { type Caller, type Random, apiMetadata } from './history-callers';
import type { SeedEvent } from './history-scenario';

/**
 * A call that changed nothing, recorded as the AuditRecorder records it (a KmsCallRecorded event,
 * no tags): a CreateAlias of a name that is taken (`taken`, when there is one), an UpdateAlias of a
 * name that does not exist, or a DescribeKey (an audited read).
 */
export function unchangedCall(
  random: Random,
  scope: Scope,
  caller: Caller,
  keyId: string,
  taken: string | undefined,
  at: Date,
): SeedEvent {
  const r = random();
  let call: { eventName: string; params: Record<string, unknown>; error?: [string, string] };
  if (r < 0.4 && taken !== undefined) {
    const message = `An alias with the name ${aliasArn(scope, taken)} already exists`;
    call = {
      eventName: 'CreateAlias',
      params: { AliasName: taken, TargetKeyId: keyId },
      error: ['AlreadyExistsException', message],
    };
  } else if (r < 0.7) {
    const name = `alias/typo/service-${Math.floor(random() * 1e6)}`;
    call = {
      eventName: 'UpdateAlias',
      params: { AliasName: name, TargetKeyId: keyId },
      error: ['NotFoundException', `Alias ${aliasArn(scope, name)} is not found.`],
    };
  } else {
    call = { eventName: 'DescribeKey', params: { KeyId: keyId } };
  }
  const output = call.error ? undefined : { KeyMetadata: { Arn: keyArn(scope, keyId) } };
  const data: KmsCallRecorded = {
    ...scope,
    eventName: call.eventName,
    readOnly: !call.error,
    ...(call.error ? { errorCode: call.error[0], errorMessage: call.error[1] } : {}),
    resources: callResources(call.eventName, scope, call.params, output),
    responseElements: null,
  };
  const metadata = apiMetadata(random, caller, scope, call.eventName, call.params, at);
  return { eventId: randomUUID(), type: KMS_CALL_RECORDED, tags: [], data, metadata, occurredAt: at };
}
