import { aliasTag, keyTag } from './kms-events';

/**
 * What a CloudTrail record of an observed account (docs/history-model.md#observed-accounts) did to its
 * aliases and keys, when it did anything: the records the models follow, read from AWS's fields
 * (docs/kms-behaviour.md#cloudtrail-records). A failed call (`errorCode` set) changed nothing, and
 * neither did a read.
 */
export type ObservedChange =
  | {
      readonly kind: 'alias';
      readonly op: 'CreateAlias' | 'UpdateAlias' | 'DeleteAlias';
      readonly aliasName: string;
      /**
       * CreateAlias and UpdateAlias: the new target; DeleteAlias: the target before the deletion
       * (responseElements.keyId). Undefined when the record does not say.
       */
      readonly keyId: string | undefined;
    }
  | { readonly kind: 'key'; readonly op: KeyOp; readonly keyId: string };

export type KeyOp =
  'CreateKey' | 'EnableKey' | 'DisableKey' | 'ScheduleKeyDeletion' | 'CancelKeyDeletion' | 'DeleteKey';

const ALIAS_OPS = new Set(['CreateAlias', 'UpdateAlias', 'DeleteAlias']);
/** The records that change a key's state or metadata. */
const KEY_OPS = new Set<string>([
  'CreateKey',
  'EnableKey',
  'DisableKey',
  'ScheduleKeyDeletion',
  'CancelKeyDeletion',
  'DeleteKey',
  'UpdateKeyDescription',
  'TagResource',
  'UntagResource',
  'PutKeyPolicy',
  'EnableKeyRotation',
  'DisableKeyRotation',
]);
const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]*:\d{12}:key\/(.+)$/;
const ALIAS_NAME = /^alias\/[a-zA-Z0-9:/_-]{1,250}$/;

const objectOf = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** A key id from a key id or a key ARN; undefined for anything else (an alias, a typo, nothing). */
export function keyIdIn(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = KEY_ARN.exec(value)?.[1] ?? value;
  return KEY_ID.test(id) ? id : undefined;
}

/** The key ARNs among a record's resources, as key ids, in order. */
function resourceKeyIds(record: Record<string, unknown>): string[] {
  const resources = Array.isArray(record.resources) ? record.resources : [];
  return resources.flatMap((r) => {
    const id = keyIdIn(objectOf(r)?.ARN);
    return id === undefined ? [] : [id];
  });
}

/**
 * The change a parsed KMS record made, or undefined. Key ids come from responseElements (the key
 * ARN KMS resolved), then requestParameters when they name a key directly, then resources.
 *
 * @example observedChangeOf({ eventName: 'UpdateAlias', requestParameters: { aliasName: 'alias/x',
 *   targetKeyId: '1234abcd-…' }, … }) // { kind: 'alias', op: 'UpdateAlias', aliasName: 'alias/x', keyId: '1234abcd-…' }
 */
export function observedChangeOf(record: Record<string, unknown>): ObservedChange | undefined {
  if (record.errorCode !== undefined && record.errorCode !== null) return undefined;
  const name = record.eventName;
  if (typeof name !== 'string') return undefined;
  const request = objectOf(record.requestParameters) ?? {};
  const response = objectOf(record.responseElements) ?? {};
  if (ALIAS_OPS.has(name)) {
    const aliasName = request.aliasName;
    if (typeof aliasName !== 'string' || !ALIAS_NAME.test(aliasName)) return undefined;
    const keyId =
      keyIdIn(response.keyId) ??
      (name === 'DeleteAlias' ? undefined : keyIdIn(request.targetKeyId)) ??
      resourceKeyIds(record)[0];
    return { kind: 'alias', op: name as 'CreateAlias' | 'UpdateAlias' | 'DeleteAlias', aliasName, keyId };
  }
  if (KEY_OPS.has(name)) {
    const keyId =
      keyIdIn(objectOf(response.keyMetadata)?.keyId) ??
      keyIdIn(response.keyId) ??
      keyIdIn(request.keyId) ??
      resourceKeyIds(record)[0];
    return keyId === undefined ? undefined : { kind: 'key', op: name as KeyOp, keyId };
  }
  return undefined;
}

/** The consistency tags an observed change is stored under, as the KMS API's events are (kms-events.ts). */
export function observedTagsOf(accountId: string, region: string, change: ObservedChange): string[] {
  if (change.kind === 'key') return [keyTag(accountId, region, change.keyId)];
  const tags = [aliasTag(accountId, region, change.aliasName)];
  if (change.keyId !== undefined) tags.push(keyTag(accountId, region, change.keyId));
  return tags;
}

/** Who made a change, as the event's metadata keeps it for causes (log-positions.ts eventCauseSql). */
export function observedCauseOf(record: Record<string, unknown>): Record<string, unknown> {
  const identity = objectOf(record.userIdentity);
  const cause: Record<string, unknown> = { eventName: record.eventName };
  if (typeof record.requestID === 'string') cause.requestId = record.requestID;
  if (identity) cause.userIdentity = identity;
  if (typeof identity?.invokedBy === 'string') cause.invokedBy = identity.invokedBy;
  if (typeof record.sourceIPAddress === 'string') cause.sourceIPAddress = record.sourceIPAddress;
  if (typeof record.userAgent === 'string') cause.userAgent = record.userAgent;
  return cause;
}
