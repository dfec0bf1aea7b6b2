import { IMPORTED_RECORD, importedPart } from './imported-record';
import type { StoredEvent } from '../event-store/event.types';
import { aliasArn, keyArn, type Scope } from '../kms/domain/identifiers';
import type { KeyDeletionScheduled } from '../kms/domain/kms-events';
import { createdKeyMetadata, requestParametersOf } from './call-elements';
import { eventTimeOf, responseDateOf } from './cloudtrail-format';
import { CONSOLE_LOGIN_RECORDED, consoleLoginPart } from './console-login';
import { KMS_CALL_RECORDED, type KmsCallRecorded } from './kms-call-recorded';
import { rotationDetails } from './rotation-details';
import { namedAliasesOf } from './named-aliases';

export interface AuditResource {
  readonly accountId: string;
  readonly type: 'AWS::KMS::Key';
  readonly ARN: string;
}

/** The searchable facts of one call and its CloudTrail record (without `resources`, kept apart). */
export interface AuditHead {
  readonly eventId: string;
  readonly accountId: string;
  readonly region: string;
  readonly eventTime: Date;
  readonly eventName: string;
  readonly readOnly: boolean;
  readonly username: string | null;
  readonly accessKeyId: string | null;
  readonly sourceIp: string | null;
  readonly errorCode: string | null;
  /** userIdentity.arn: who called, for an alias's usage by caller. */
  readonly principalArn: string | null;
  /** The aliases the call named as its key (named-aliases.ts). */
  readonly namedAliases: readonly string[];
  readonly record: Record<string, unknown>;
  /** An imported record's text as AWS logged it: shown as it is, never rebuilt (imported-record.ts). */
  readonly verbatim?: string;
}

/** What one event says about its call: the record (from the call's main event) and resources. */
export interface AuditPart {
  readonly callId: string;
  readonly head?: AuditHead;
  readonly resources: readonly AuditResource[];
}

type Data = Scope & Record<string, unknown>;
type Metadata = Record<string, unknown> & { userIdentity?: Record<string, unknown> };

/** Events of one call share this: the request id, or the id a service unit generated. */
export const callIdOf = (event: StoredEvent) =>
  String(event.metadata.requestId ?? event.metadata.callId ?? event.eventId);

/**
 * The part of a call's audit record an event contributes (docs/kms-behaviour.md#cloudtrail-records);
 * undefined for events that no CloudTrail record shows (the provisioning of AWS managed keys).
 */
export function auditPartOf(event: StoredEvent): AuditPart | undefined {
  const data = event.data as Data;
  const metadata = event.metadata as Metadata;
  const callId = callIdOf(event);
  const resource = (arn: string): AuditResource => ({ accountId: data.accountId, type: 'AWS::KMS::Key', ARN: arn });
  const key = (keyId: unknown) => resource(keyArn(data, String(keyId)));
  const alias = (name: unknown) => resource(aliasArn(data, String(name)));
  if (event.type === KMS_CALL_RECORDED) {
    const call = event.data as KmsCallRecorded;
    return {
      callId,
      head: apiHead(event, call.eventName, call.readOnly, call.responseElements, call),
      resources: call.resources.map(resource),
    };
  }
  if (event.type === CONSOLE_LOGIN_RECORDED) return consoleLoginPart(event);
  if (event.type === IMPORTED_RECORD) return importedPart(event);
  if (metadata.invokedBy !== undefined) {
    if (event.type === 'KeyDeleted')
      return { callId, head: serviceHead(event, 'DeleteKey'), resources: [key(data.keyId)] };
    if (event.type === 'KeyMaterialRotated')
      return { callId, head: serviceHead(event, 'RotateKey', rotationDetails(event)), resources: [key(data.keyId)] };
    if (event.type === 'AliasDeleted' && data.reason === 'key-deleted')
      return { callId, resources: [alias(data.aliasName)] };
    return undefined;
  }
  // Events no API call caused, and types that are not KMS events, are in no CloudTrail record.
  if (typeof metadata.eventName !== 'string') return undefined;
  const eventName = metadata.eventName;
  const head = (response: Record<string, unknown> | null, additional?: Record<string, unknown>) =>
    apiHead(event, eventName, false, response, undefined, additional);
  switch (event.type) {
    case 'AliasCreated':
      return {
        callId,
        head: head({ keyId: key(data.keyId).ARN }),
        resources: [key(data.keyId), alias(data.aliasName)],
      };
    case 'AliasRetargeted':
      return {
        callId,
        head: head({ keyId: key(data.toKeyId).ARN }),
        resources: [alias(data.aliasName), key(data.toKeyId)],
      };
    case 'AliasDeleted':
      return {
        callId,
        head: head({ keyId: key(data.keyId).ARN }),
        resources: [alias(data.aliasName), key(data.keyId)],
      };
    case 'KeyCreated':
      return { callId, head: head({ keyMetadata: createdKeyMetadata(event) }), resources: [key(data.keyId)] };
    case 'KeyDeletionScheduled': {
      const scheduled = data as unknown as KeyDeletionScheduled;
      const response = {
        keyId: key(data.keyId).ARN,
        keyState: 'PendingDeletion',
        deletionDate: responseDateOf(new Date(scheduled.deletionDate)),
        pendingWindowInDays: scheduled.pendingWindowInDays,
      };
      return { callId, head: head(response), resources: [key(data.keyId)] };
    }
    case 'KeyDeletionCanceled':
      return { callId, head: head({ keyId: key(data.keyId).ARN }), resources: [key(data.keyId)] };
    case 'KeyEnabled':
    case 'KeyDisabled':
    case 'KeyDescriptionUpdated':
    case 'KeyTagged':
    case 'KeyUntagged':
    case 'KeyPolicyPut':
    case 'KeyRotationEnabled':
    case 'KeyRotationDisabled':
      return { callId, head: head(null), resources: [key(data.keyId)] };
    // Grants (docs/kms-behaviour.md#cloudtrail-records): never a token; RetireGrant names its grant in
    // additionalEventData.
    case 'GrantCreated':
      return { callId, head: head({ grantId: data.grantId }), resources: [key(data.keyId)] };
    case 'GrantRetired':
      return { callId, head: head(null, { grantId: data.grantId }), resources: [key(data.keyId)] };
    case 'GrantRevoked':
      return { callId, head: head(null), resources: [key(data.keyId)] };
    // An on-demand rotation of a log written before the rotation became the service's RotateKey with
    // the call recorded beside it (rotate-key-on-demand.handler.ts): that log's only record of it.
    // RotateKeyOnDemand answers with the key ARN, and its record shows that
    // (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
    case 'KeyMaterialRotated':
      return { callId, head: head({ keyId: key(data.keyId).ARN }), resources: [key(data.keyId)] };
    default:
      return undefined;
  }
}

function apiHead(
  event: StoredEvent,
  eventName: string,
  readOnly: boolean,
  responseElements: Readonly<Record<string, unknown>> | null,
  failure: Pick<KmsCallRecorded, 'errorCode' | 'errorMessage'> | undefined,
  additionalEventData?: Record<string, unknown>,
): AuditHead {
  const metadata = event.metadata as Metadata;
  const identity = metadata.userIdentity ?? {};
  const failed = failure?.errorCode !== undefined;
  return headOf(event, {
    userIdentity: identity,
    eventTime: new Date(String(metadata.eventTime ?? event.occurredAt.toISOString())),
    eventName,
    sourceIPAddress: typeof metadata.sourceIPAddress === 'string' ? metadata.sourceIPAddress : null,
    userAgent: metadata.userAgent ?? null,
    error: failed ? { errorCode: failure.errorCode, errorMessage: failure.errorMessage ?? '' } : {},
    requestParameters: requestParametersOf(event, eventName),
    // A failed call has no response (docs/kms-behaviour.md#cloudtrail-records).
    responseElements: failed ? null : responseElements,
    additionalEventData: additionalEventData
      ? { ...additionalEventData, ...storageNotesOf(metadata) }
      : storageNotesOf(metadata),
    request: { requestID: metadata.requestId ?? null },
    readOnly,
    eventType: 'AwsApiCall',
    username: typeof identity.userName === 'string' ? identity.userName : null,
    accessKeyId: typeof identity.accessKeyId === 'string' ? identity.accessKeyId : null,
    principalArn: typeof identity.arn === 'string' ? identity.arn : null,
    namedAliases: namedAliasesOf(event.data as Data, metadata.requestParameters),
    fromConsole: metadata.sessionCredentialFromConsole === true,
  });
}

/**
 * The call metadata's marks of what was not stored as sent (kms/store/call-metadata.ts): parameters
 * omitted (too large, nested too deep) and characters replaced by U+FFFD. CloudTrail records carry
 * service-specific facts in additionalEventData, so the marks go there; undefined when there are none.
 */
function storageNotesOf(metadata: Metadata): Record<string, unknown> | undefined {
  const notes = {
    ...(typeof metadata.requestParametersOmitted === 'string'
      ? { requestParametersOmitted: metadata.requestParametersOmitted }
      : {}),
    ...(typeof metadata.unstorableCharactersReplaced === 'number'
      ? { unstorableCharactersReplaced: metadata.unstorableCharactersReplaced }
      : {}),
  };
  return Object.keys(notes).length > 0 ? notes : undefined;
}

/**
 * What KMS did by itself, an AwsServiceEvent with no request: DeleteKey at the end of the waiting
 * period (docs/kms-behaviour.md#cloudtrail-records), RotateKey when automatic rotation was due or
 * RotateKeyOnDemand asked for it (docs/kms-behaviour.md#cloudtrail-records).
 */
function serviceHead(event: StoredEvent, eventName: string, serviceEventDetails?: Record<string, unknown>): AuditHead {
  const data = event.data as Data;
  return headOf(event, {
    userIdentity: { accountId: data.accountId, invokedBy: 'AWS Internal' },
    eventTime: event.occurredAt,
    eventName,
    ...(serviceEventDetails ? { serviceEventDetails } : {}),
    sourceIPAddress: 'AWS Internal',
    userAgent: 'AWS Internal',
    error: {},
    requestParameters: null,
    responseElements: null,
    request: {},
    readOnly: false,
    eventType: 'AwsServiceEvent',
    username: null,
    accessKeyId: null,
    principalArn: null,
    namedAliases: [],
  });
}

/** What differs between records; the rest of the fields are the same for every KMS record. */
interface RecordParts {
  readonly userIdentity: Record<string, unknown>;
  readonly eventTime: Date;
  readonly eventName: string;
  readonly sourceIPAddress: string | null;
  readonly userAgent: unknown;
  readonly error: { errorCode?: string; errorMessage?: string };
  readonly requestParameters: unknown;
  readonly responseElements: unknown;
  /** A service event's facts (RotateKey's rotation). */
  readonly serviceEventDetails?: Record<string, unknown>;
  /** Why the record does not show the request exactly as sent (storageNotesOf), when it does not. */
  readonly additionalEventData?: Record<string, unknown>;
  /** `{ requestID }` for API calls; nothing for service events, which have none. */
  readonly request: { requestID?: unknown };
  readonly readOnly: boolean;
  readonly eventType: 'AwsApiCall' | 'AwsServiceEvent';
  readonly username: string | null;
  readonly accessKeyId: string | null;
  readonly principalArn: string | null;
  readonly namedAliases: readonly string[];
  /** A call made in a console session (issue 15): CloudTrail adds sessionCredentialFromConsole. */
  readonly fromConsole?: boolean;
}

/** The record in CloudTrail's field order (resources go in after readOnly when it is read). */
function headOf(event: StoredEvent, parts: RecordParts): AuditHead {
  const data = event.data as Data;
  const record = {
    eventVersion: '1.08',
    userIdentity: parts.userIdentity,
    eventTime: eventTimeOf(parts.eventTime),
    eventSource: 'kms.amazonaws.com',
    eventName: parts.eventName,
    awsRegion: data.region,
    sourceIPAddress: parts.sourceIPAddress,
    userAgent: parts.userAgent,
    ...parts.error,
    requestParameters: parts.requestParameters,
    responseElements: parts.responseElements,
    ...(parts.additionalEventData ? { additionalEventData: parts.additionalEventData } : {}),
    ...parts.request,
    eventID: event.eventId,
    readOnly: parts.readOnly,
    eventType: parts.eventType,
    managementEvent: true,
    recipientAccountId: data.accountId,
    ...(parts.serviceEventDetails ? { serviceEventDetails: parts.serviceEventDetails } : {}),
    eventCategory: 'Management',
    ...(parts.fromConsole ? { sessionCredentialFromConsole: 'true' } : {}),
  };
  return {
    eventId: event.eventId,
    accountId: data.accountId,
    region: data.region,
    eventTime: parts.eventTime,
    eventName: parts.eventName,
    readOnly: parts.readOnly,
    username: parts.username,
    accessKeyId: parts.accessKeyId,
    sourceIp: parts.sourceIPAddress,
    errorCode: parts.error.errorCode ?? null,
    principalArn: parts.principalArn,
    namedAliases: parts.namedAliases,
    record,
  };
}
