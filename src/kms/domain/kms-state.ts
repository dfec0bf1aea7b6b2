import { nextEventTime } from './event-time';
import type { KmsEvent, Tag } from './kms-events';

export type KeyStateName = 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport';

export interface KeyState {
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly keySpec: string;
  readonly keyUsage: string;
  readonly keyManager: 'CUSTOMER' | 'AWS';
  readonly origin: string;
  readonly description: string;
  readonly tags: readonly Tag[];
  readonly creationDate: Date;
  readonly keyState: KeyStateName;
  readonly deletionDate: Date | undefined;
  readonly pendingWindowInDays: number | undefined;
  /**
   * CreateKey's or PutKeyPolicy's policy; undefined while the default one applies
   * (docs/kms-behaviour.md#tags-description-and-key-policy).
   */
  readonly policy: string | undefined;
  /** Set while automatic rotation is enabled (docs/kms-behaviour.md#rotation). */
  readonly rotationPeriodInDays: number | undefined;
  readonly nextRotationDate: Date | undefined;
  /** The version of the material Encrypt uses now; 1 until the first rotation. */
  readonly materialVersion: number;
  readonly onDemandRotations: number;
  /** Names of the aliases that point at this key now. */
  readonly aliases: ReadonlySet<string>;
}

export interface AliasState {
  readonly aliasName: string;
  readonly keyId: string;
  readonly creationDate: Date;
  readonly lastUpdatedDate: Date;
}

/** What a unit of work knows: the keys and aliases its history mentions (deleted ones are absent). */
export interface KmsState {
  readonly keys: ReadonlyMap<string, KeyState>;
  readonly aliases: ReadonlyMap<string, AliasState>;
  /**
   * The latest event time seen: new events never get an earlier one
   * (docs/history-model.md#units-of-work-and-consistency, rule 5).
   */
  readonly lastEventTime: Date | undefined;
}

export const EMPTY_STATE: KmsState = { keys: new Map(), aliases: new Map(), lastEventTime: undefined };

export interface TimedEvent {
  readonly event: KmsEvent;
  readonly occurredAt: Date;
}

/** Folds events, in append order, into the state they leave. */
export function foldKms(events: readonly TimedEvent[], initial: KmsState = EMPTY_STATE): KmsState {
  // One copy of the maps for the whole fold rather than one per event: histories of busy keys are long.
  const working = {
    keys: new Map(initial.keys),
    aliases: new Map(initial.aliases),
    lastEventTime: initial.lastEventTime,
  };
  for (const event of events)
    working.lastEventTime = apply(working.keys, working.aliases, working.lastEventTime, event);
  return working;
}

/** Applies one event to maps owned by the caller; returns the new latest event time. */
function apply(
  keys: Map<string, KeyState>,
  aliases: Map<string, AliasState>,
  latest: Date | undefined,
  { event, occurredAt }: TimedEvent,
): Date {
  const lastEventTime = nextEventTime(latest, occurredAt);
  const updateKey = (keyId: string, change: (key: KeyState) => Partial<KeyState>) => {
    const key = keys.get(keyId);
    if (key) keys.set(keyId, { ...key, ...change(key) });
  };
  const withAlias = (names: ReadonlySet<string>, name: string, present: boolean) => {
    const next = new Set(names);
    if (present) next.add(name);
    else next.delete(name);
    return next;
  };
  switch (event.type) {
    case 'KeyCreated': {
      const d = event.data;
      keys.set(d.keyId, {
        keyId: d.keyId,
        accountId: d.accountId,
        region: d.region,
        keySpec: d.keySpec,
        keyUsage: d.keyUsage,
        keyManager: d.keyManager,
        origin: d.origin,
        description: d.description,
        tags: sortedTags(d.tags),
        policy: d.policy,
        rotationPeriodInDays: undefined,
        nextRotationDate: undefined,
        materialVersion: 1,
        onDemandRotations: 0,
        creationDate: occurredAt,
        keyState: d.origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
        deletionDate: undefined,
        pendingWindowInDays: undefined,
        aliases: new Set(),
      });
      break;
    }
    case 'KeyEnabled':
      updateKey(event.data.keyId, () => ({ keyState: 'Enabled' }));
      break;
    case 'KeyDisabled':
      updateKey(event.data.keyId, () => ({ keyState: 'Disabled' }));
      break;
    case 'KeyDeletionScheduled':
      updateKey(event.data.keyId, () => ({
        keyState: 'PendingDeletion',
        deletionDate: new Date(event.data.deletionDate),
        pendingWindowInDays: event.data.pendingWindowInDays,
      }));
      break;
    case 'KeyDeletionCanceled':
      updateKey(event.data.keyId, () => ({
        keyState: 'Disabled',
        deletionDate: undefined,
        pendingWindowInDays: undefined,
      }));
      break;
    case 'KeyDeleted':
      keys.delete(event.data.keyId);
      break;
    case 'KeyDescriptionUpdated':
      updateKey(event.data.keyId, () => ({ description: event.data.description }));
      break;
    case 'KeyTagged':
      updateKey(event.data.keyId, (key) => ({ tags: withTags(key.tags, event.data.tags) }));
      break;
    case 'KeyUntagged': {
      const removed = new Set(event.data.tagKeys);
      updateKey(event.data.keyId, (key) => ({ tags: key.tags.filter((tag) => !removed.has(tag.TagKey)) }));
      break;
    }
    case 'KeyPolicyPut':
      updateKey(event.data.keyId, () => ({ policy: event.data.policy }));
      break;
    case 'KeyRotationEnabled':
      updateKey(event.data.keyId, () => ({
        rotationPeriodInDays: event.data.rotationPeriodInDays,
        nextRotationDate: new Date(event.data.nextRotationDate),
      }));
      break;
    case 'KeyRotationDisabled':
      updateKey(event.data.keyId, () => ({ rotationPeriodInDays: undefined, nextRotationDate: undefined }));
      break;
    case 'KeyMaterialRotated': {
      const d = event.data;
      updateKey(d.keyId, (key) => ({
        materialVersion: d.version,
        onDemandRotations: key.onDemandRotations + (d.rotationType === 'ON_DEMAND' ? 1 : 0),
        ...(d.nextRotationDate === undefined ? {} : { nextRotationDate: new Date(d.nextRotationDate) }),
      }));
      break;
    }
    case 'AliasCreated':
      aliases.set(event.data.aliasName, {
        aliasName: event.data.aliasName,
        keyId: event.data.keyId,
        creationDate: occurredAt,
        lastUpdatedDate: occurredAt,
      });
      updateKey(event.data.keyId, (key) => ({ aliases: withAlias(key.aliases, event.data.aliasName, true) }));
      break;
    case 'AliasRetargeted': {
      const alias = aliases.get(event.data.aliasName);
      if (alias)
        aliases.set(event.data.aliasName, { ...alias, keyId: event.data.toKeyId, lastUpdatedDate: occurredAt });
      updateKey(event.data.fromKeyId, (key) => ({ aliases: withAlias(key.aliases, event.data.aliasName, false) }));
      updateKey(event.data.toKeyId, (key) => ({ aliases: withAlias(key.aliases, event.data.aliasName, true) }));
      break;
    }
    case 'AliasDeleted':
      aliases.delete(event.data.aliasName);
      updateKey(event.data.keyId, (key) => ({ aliases: withAlias(key.aliases, event.data.aliasName, false) }));
      break;
  }
  return lastEventTime;
}

/**
 * Tags in ascending TagKey order, in bytes of UTF-8 as COLLATE "C" sorts them
 * (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
 */
export function sortedTags(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => Buffer.compare(Buffer.from(a.TagKey, 'utf8'), Buffer.from(b.TagKey, 'utf8')));
}

/**
 * `tags` with `added` put in: an existing key takes the new value
 * (docs/kms-behaviour.md#tags-description-and-key-policy).
 */
export function withTags(tags: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(tags.map((tag) => [tag.TagKey, tag]));
  for (const tag of added) byKey.set(tag.TagKey, { TagKey: tag.TagKey, TagValue: tag.TagValue });
  return sortedTags([...byKey.values()]);
}
