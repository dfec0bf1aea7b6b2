import type { Scope } from './identifiers';
/**
 * The stored events of keys and aliases (docs/history-model.md#units-of-work-and-consistency). Dates
 * are ISO strings; payloads are plain data.
 */
export interface Tag {
  readonly TagKey: string;
  readonly TagValue: string;
}

interface Scoped {
  readonly accountId: string;
  readonly region: string;
}

export interface KeyCreated extends Scoped {
  readonly keyId: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly origin: string;
  readonly description: string;
  readonly tags: readonly Tag[];
  /**
   * CreateKey's Policy, pretty-printed (key-policy.ts); absent: the default policy
   * (docs/kms-behaviour.md#tags-description-and-key-policy).
   */
  readonly policy?: string;
}

export interface KeyChanged extends Scoped {
  readonly keyId: string;
}

export interface KeyDeletionScheduled extends KeyChanged {
  readonly deletionDate: string;
  readonly pendingWindowInDays: number;
}

export interface KeyDescriptionUpdated extends KeyChanged {
  readonly description: string;
}

/** Tags added or given new values (docs/kms-behaviour.md#tags-description-and-key-policy). */
export interface KeyTagged extends KeyChanged {
  readonly tags: readonly Tag[];
}

export interface KeyUntagged extends KeyChanged {
  readonly tagKeys: readonly string[];
}

/** The `default` policy replaced; the text is not secret (its audit record holds it in full). */
export interface KeyPolicyPut extends KeyChanged {
  readonly policy: string;
}

export interface KeyRotationEnabled extends KeyChanged {
  readonly rotationPeriodInDays: number;
  readonly nextRotationDate: string;
}

/**
 * A new version of the key's material became current (docs/kms-behaviour.md#rotation). The material
 * itself is written beside the event (docs/history-model.md#key-material), never in it. An automatic
 * rotation also moves the next date.
 */
export interface KeyMaterialRotated extends KeyChanged {
  readonly rotationType: 'AUTOMATIC' | 'ON_DEMAND';
  readonly version: number;
  readonly keyMaterialId: string;
  readonly nextRotationDate?: string;
}

export interface AliasCreated extends Scoped {
  readonly aliasName: string;
  readonly keyId: string;
}

export interface AliasRetargeted extends Scoped {
  readonly aliasName: string;
  readonly fromKeyId: string;
  readonly toKeyId: string;
}

export interface AliasDeleted extends Scoped {
  readonly aliasName: string;
  readonly keyId: string;
  readonly reason: 'api' | 'key-deleted';
}

export type KmsEvent =
  | { readonly type: 'KeyCreated'; readonly data: KeyCreated }
  | { readonly type: 'KeyEnabled'; readonly data: KeyChanged }
  | { readonly type: 'KeyDisabled'; readonly data: KeyChanged }
  | { readonly type: 'KeyDeletionScheduled'; readonly data: KeyDeletionScheduled }
  | { readonly type: 'KeyDeletionCanceled'; readonly data: KeyChanged }
  | { readonly type: 'KeyDeleted'; readonly data: KeyChanged }
  | { readonly type: 'KeyDescriptionUpdated'; readonly data: KeyDescriptionUpdated }
  | { readonly type: 'KeyTagged'; readonly data: KeyTagged }
  | { readonly type: 'KeyUntagged'; readonly data: KeyUntagged }
  | { readonly type: 'KeyPolicyPut'; readonly data: KeyPolicyPut }
  | { readonly type: 'KeyRotationEnabled'; readonly data: KeyRotationEnabled }
  | { readonly type: 'KeyRotationDisabled'; readonly data: KeyChanged }
  | { readonly type: 'KeyMaterialRotated'; readonly data: KeyMaterialRotated }
  | { readonly type: 'AliasCreated'; readonly data: AliasCreated }
  | { readonly type: 'AliasRetargeted'; readonly data: AliasRetargeted }
  | { readonly type: 'AliasDeleted'; readonly data: AliasDeleted };

/** Every KMS event type, once for TypeScript (SQL: kms_event_types() in db/functions/kms_current.sql; a test checks the two agree). */
export const KMS_EVENT_TYPES: readonly KmsEvent['type'][] = [
  'KeyCreated',
  'KeyEnabled',
  'KeyDisabled',
  'KeyDeletionScheduled',
  'KeyDeletionCanceled',
  'KeyDeleted',
  'KeyDescriptionUpdated',
  'KeyTagged',
  'KeyUntagged',
  'KeyPolicyPut',
  'KeyRotationEnabled',
  'KeyRotationDisabled',
  'KeyMaterialRotated',
  'AliasCreated',
  'AliasRetargeted',
  'AliasDeleted',
];

/** The events that create, move or delete an alias. */
export const ALIAS_EVENT_TYPES: readonly KmsEvent['type'][] = ['AliasCreated', 'AliasRetargeted', 'AliasDeleted'];

const KNOWN_TYPES: ReadonlySet<string> = new Set(KMS_EVENT_TYPES);

/** A stored event as the KMS event it is, or undefined for a type the KMS does not know (nothing to fold). */
export function kmsEventOf(stored: { readonly type: string; readonly data: unknown }): KmsEvent | undefined {
  return KNOWN_TYPES.has(stored.type) ? ({ type: stored.type, data: stored.data } as KmsEvent) : undefined;
}

/** Consistency tags: units of work lock these before reading. */
export const keyTag = (accountId: string, region: string, keyId: string) => `key:${accountId}:${region}:${keyId}`;
export const aliasTag = (accountId: string, region: string, aliasName: string) =>
  `alias:${accountId}:${region}:${aliasName}`;

/** The key id a key tag names (`key:<account>:<region>:<key id>`). */
export const keyIdOfTag = (tag: string) => tag.split(':').slice(3).join(':');

/** What CreateAlias locks: the alias, and the key it targets when TargetKeyId parsed. */
export function aliasAndKeyTags(scope: Scope, aliasName: string, keyIds: readonly string[]): string[] {
  return [
    aliasTag(scope.accountId, scope.region, aliasName),
    ...keyIds.map((id) => keyTag(scope.accountId, scope.region, id)),
  ];
}

/** The tags an event is stored under: every key and alias it concerns. */
export function tagsOf(event: KmsEvent): string[] {
  const { accountId, region } = event.data;
  switch (event.type) {
    case 'AliasCreated':
      return [aliasTag(accountId, region, event.data.aliasName), keyTag(accountId, region, event.data.keyId)];
    case 'AliasRetargeted':
      return [
        aliasTag(accountId, region, event.data.aliasName),
        ...new Set([keyTag(accountId, region, event.data.fromKeyId), keyTag(accountId, region, event.data.toKeyId)]),
      ];
    case 'AliasDeleted':
      return [aliasTag(accountId, region, event.data.aliasName), keyTag(accountId, region, event.data.keyId)];
    default:
      return [keyTag(accountId, region, event.data.keyId)];
  }
}
