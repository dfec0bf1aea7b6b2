import { randomUUID } from 'node:crypto';
import { callResources } from '../../src/audit/call-resources';
import { KMS_CALL_RECORDED, type KmsCallRecorded, READ_ONLY_OPERATIONS } from '../../src/audit/kms-call-recorded';
import type { Principal } from '../../src/auth/principal';
import type { NewEvent } from '../../src/event-store/event.types';
import { keyArn, type Scope } from '../../src/kms/domain/identifiers';
import type { KmsRequest } from '../../src/kms/kms-request';
import { callMetadata } from '../../src/kms/store/call-metadata';
import { consoleLoginEvent } from '../../src/console/console-login-event';
import { anEvent } from './events';

/*
 * The builders of everyKindOfCall (audit-calls.ts): requests, the events a writer appends for them,
 * and the records the audit recorder appends, each with the metadata the service stores.
 */

/** One everyKindOfCall: its id prefix, how many calls it made so far, and its main scope. */
export interface Ids {
  readonly tag: string;
  calls: number;
  readonly eu: Scope;
}

export const alice: Principal = {
  accessKeyId: 'AKIAALICE00000000001',
  secretAccessKey: 'secret',
  accountId: '111122223333',
  arn: 'arn:aws:iam::111122223333:user/Alice',
  userName: 'Alice',
};
export const at = (seconds: number) => new Date(Date.UTC(2026, 2, 1, 14, 0, seconds, 250));

/** An API call as the KMS handlers see it; its metadata is what the writers store (call-metadata.ts). */
export function request(ids: Ids, operation: string, params: Record<string, unknown>, scope = ids.eu): KmsRequest {
  ids.calls += 1;
  return {
    requestId: `${ids.tag}-req-${ids.calls}`,
    operation,
    principal: { ...alice, accountId: scope.accountId },
    scope,
    sourceIp: '192.0.2.10',
    userAgent: 'aws-cli/2.15',
    params,
  };
}

/** A console sign-in's record, as ConsoleLoginRecorder appends it. */
export function signedIn(ids: Ids, outcome: 'Success' | 'Failure', scope = ids.eu): NewEvent {
  ids.calls += 1;
  return consoleLoginEvent({
    eventId: randomUUID(),
    requestId: `${ids.tag}-req-${ids.calls}`,
    principal: { ...alice, accountId: scope.accountId },
    outcome,
    sourceIp: '192.0.2.10',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    eventTime: at(ids.calls),
    loginTo: 'https://aliastrail.example/console',
  });
}

/** A domain event of an API call. */
export function changed(
  ids: Ids,
  type: string,
  data: object,
  operation: string,
  params: Record<string, unknown>,
  scope = ids.eu,
) {
  const time = at(ids.calls);
  return anEvent({
    type,
    data: { ...scope, ...data },
    metadata: callMetadata(request(ids, operation, params, scope), time),
    occurredAt: time,
  });
}

/** A call that changed nothing, as AuditRecorder appends it. */
export function recorded(
  ids: Ids,
  operation: string,
  params: Record<string, unknown>,
  outcome: Partial<KmsCallRecorded>,
  output?: Record<string, unknown>,
) {
  const call = request(ids, operation, params);
  const data: KmsCallRecorded = {
    ...ids.eu,
    eventName: operation,
    readOnly: READ_ONLY_OPERATIONS.has(operation),
    resources: callResources(operation, ids.eu, params, output),
    responseElements: null,
    ...outcome,
  };
  return anEvent({
    type: KMS_CALL_RECORDED,
    data,
    metadata: callMetadata(call, at(ids.calls)),
    occurredAt: at(ids.calls),
  });
}

/**
 * RotateKeyOnDemand as KmsWriter appends it (onCall): the call's KmsCallRecorded with its metadata,
 * and the material switch as the service's, with an id of its own, at the same time.
 */
export function onDemandRotation(ids: Ids, keyId: string, version: number): NewEvent[] {
  const call = request(ids, 'RotateKeyOnDemand', { KeyId: keyId });
  const time = at(ids.calls);
  const arn = keyArn(ids.eu, keyId);
  const record: KmsCallRecorded = {
    ...ids.eu,
    eventName: 'RotateKeyOnDemand',
    readOnly: false,
    resources: [arn],
    responseElements: { keyId: arn },
  };
  return [
    anEvent({ type: KMS_CALL_RECORDED, data: record, metadata: callMetadata(call, time), occurredAt: time }),
    anEvent({
      type: 'KeyMaterialRotated',
      data: { ...ids.eu, keyId, rotationType: 'ON_DEMAND', version, keyMaterialId: `m${version}` },
      metadata: {
        invokedBy: 'AWS Internal',
        callId: `${ids.tag}-on-demand-${ids.calls}`,
        eventTime: time.toISOString(),
      },
      occurredAt: time,
    }),
  ];
}

/** A scheduled deletion, as the deletion scheduler appends it. */
export function deletion(eu: Scope, callId: string, keyId: string, aliases: string[]): NewEvent[] {
  const metadata = { invokedBy: 'AWS Internal', callId, eventTime: at(50).toISOString() };
  return [
    anEvent({ type: 'KeyDeleted', data: { ...eu, keyId }, metadata, occurredAt: at(50) }),
    ...aliases.map((aliasName) =>
      anEvent({
        type: 'AliasDeleted',
        data: { ...eu, aliasName, keyId, reason: 'key-deleted' },
        metadata,
        occurredAt: at(50),
      }),
    ),
  ];
}
