import { observedChangeOf } from './observed-change';
import type { KmsSnapshot } from './observed-snapshot';

/**
 * A key of an observed account as its evidence shows it at a moment. What no record or snapshot
 * shows is null (a key created before the records, seen only in an alias's record or a snapshot,
 * has no known spec or creation date): said, not guessed.
 */
export interface ObservedKey {
  readonly keyId: string;
  readonly keyState: string | null;
  readonly keySpec: string | null;
  readonly keyUsage: string | null;
  readonly keyManager: string | null;
  readonly origin: string | null;
  readonly description: string | null;
  readonly creationDate: Date | null;
  readonly deletionDate: Date | null;
  /** Known from a CreateKey record on, as TagResource and UntagResource change them. */
  readonly tags: readonly { readonly TagKey: string; readonly TagValue: string }[] | null;
  /** The policy a CreateKey or PutKeyPolicy record set; null with `policyIsDefault` true: the default one. */
  readonly policy: string | null;
  readonly policyIsDefault: boolean | null;
  /** Automatic rotation, known from CreateKey (off) or an EnableKeyRotation/DisableKeyRotation record on. */
  readonly rotation: { readonly enabled: boolean; readonly rotationPeriodInDays: number | null } | null;
}

/** One piece of evidence, in event time: a parsed record, or a snapshot. */
export type KeyEvidence =
  | { readonly at: Date; readonly kind: 'record'; readonly record: Record<string, unknown> }
  | { readonly at: Date; readonly kind: 'snapshot'; readonly snapshot: KmsSnapshot };

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** CloudTrail's response dates ("Nov 2, 2021, 11:25:25 PM", UTC), or null. */
export function responseDate(value: unknown): Date | null {
  const m = typeof value === 'string' && /^(\w{3}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/.exec(value);
  if (!m) return null;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return null;
  const hour = (Number(m[4]) % 12) + (m[7] === 'PM' ? 12 : 0);
  return new Date(Date.UTC(Number(m[3]), month, Number(m[2]), hour, Number(m[5]), Number(m[6])));
}

/**
 * The keys the evidence shows at the end of it (the caller passes what happened at or before the
 * moment asked, in event time): CreateKey gives a key's metadata from the record's keyMetadata;
 * EnableKey, DisableKey, ScheduleKeyDeletion and CancelKeyDeletion its state; the DeleteKey service
 * event removes it; an alias's record names a key it cannot describe; a snapshot gives every key's
 * state then. Failed calls change nothing (observedChangeOf). In key id order.
 */
export function foldObservedKeys(evidence: readonly KeyEvidence[]): ObservedKey[] {
  const keys = new Map<string, ObservedKey>();
  const blank = (keyId: string): ObservedKey => ({
    keyId,
    keyState: null,
    keySpec: null,
    keyUsage: null,
    keyManager: null,
    origin: null,
    description: null,
    creationDate: null,
    deletionDate: null,
    tags: null,
    policy: null,
    policyIsDefault: null,
    rotation: null,
  });
  const update = (keyId: string, change: Partial<ObservedKey>) =>
    keys.set(keyId, { ...(keys.get(keyId) ?? blank(keyId)), ...change });
  const ordered = [...evidence].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const item of ordered) {
    if (item.kind === 'snapshot') {
      // ListKeys lists every key, pending deletion included: one it lacks was gone by then.
      const listed = new Set(item.snapshot.keys.map((key) => key.keyId));
      for (const keyId of [...keys.keys()]) if (!listed.has(keyId)) keys.delete(keyId);
      for (const key of item.snapshot.keys)
        update(key.keyId, {
          keyState: key.keyState,
          keyManager: key.keyManager,
          deletionDate: key.deletionDate ? new Date(key.deletionDate) : null,
        });
      continue;
    }
    const change = observedChangeOf(item.record);
    if (!change) continue;
    if (change.kind === 'alias') {
      if (change.keyId !== undefined && !keys.has(change.keyId)) update(change.keyId, {});
      continue;
    }
    const response = (item.record.responseElements ?? {}) as Record<string, unknown>;
    if (change.op === 'CreateKey') {
      // keyMetadata as KMS answered, else the request (which records the defaults KMS applied).
      const m = (response.keyMetadata ?? {}) as Record<string, unknown>;
      const request = (item.record.requestParameters ?? {}) as Record<string, unknown>;
      update(change.keyId, {
        keyState: text(m.keyState) ?? 'Enabled',
        keySpec: text(m.keySpec) ?? text(m.customerMasterKeySpec) ?? text(request.keySpec),
        keyUsage: text(m.keyUsage) ?? text(request.keyUsage),
        keyManager: text(m.keyManager) ?? 'CUSTOMER',
        origin: text(m.origin) ?? text(request.origin),
        description: text(m.description) ?? text(request.description),
        creationDate: item.at,
        deletionDate: null,
        tags: tagsIn(request.tags) ?? [],
        policy: text(request.policy),
        policyIsDefault: text(request.policy) === null,
        rotation: { enabled: false, rotationPeriodInDays: null },
      });
    } else if (change.op === 'EnableKey') update(change.keyId, { keyState: 'Enabled' });
    else if (change.op === 'DisableKey') update(change.keyId, { keyState: 'Disabled' });
    else if (change.op === 'ScheduleKeyDeletion')
      update(change.keyId, { keyState: 'PendingDeletion', deletionDate: responseDate(response.deletionDate) });
    // A canceled deletion leaves the key disabled (docs/kms-behaviour.md#deleting-a-key).
    else if (change.op === 'CancelKeyDeletion') update(change.keyId, { keyState: 'Disabled', deletionDate: null });
    else if (change.op === 'DeleteKey') keys.delete(change.keyId);
    else update(change.keyId, settingsChange(change.op, keys.get(change.keyId), item.record));
  }
  return [...keys.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : 1));
}

/** `requestParameters.tags` ([{tagKey, tagValue}]) as the API's tags, or null. */
function tagsIn(value: unknown): { TagKey: string; TagValue: string }[] | null {
  if (!Array.isArray(value)) return null;
  return value.flatMap((t) => {
    const tag = (t ?? {}) as Record<string, unknown>;
    return typeof tag.tagKey === 'string' && typeof tag.tagValue === 'string'
      ? [{ TagKey: tag.tagKey, TagValue: tag.tagValue }]
      : [];
  });
}

/**
 * What a record that changes a key's settings did (UpdateKeyDescription, TagResource, UntagResource,
 * PutKeyPolicy, EnableKeyRotation, DisableKeyRotation). Tags change a known set only: for a key
 * created before the records, TagResource shows some of its tags, not all of them.
 */
function settingsChange(
  op: string,
  key: ObservedKey | undefined,
  record: Record<string, unknown>,
): Partial<ObservedKey> {
  const request = (record.requestParameters ?? {}) as Record<string, unknown>;
  const tags = key?.tags ?? null;
  switch (op) {
    case 'UpdateKeyDescription':
      return { description: text(request.description) };
    case 'TagResource': {
      const added = tagsIn(request.tags) ?? [];
      if (tags === null) return {};
      const kept = tags.filter((t) => !added.some((a) => a.TagKey === t.TagKey));
      return { tags: [...kept, ...added] };
    }
    case 'UntagResource': {
      const removed = Array.isArray(request.tagKeys) ? request.tagKeys : [];
      return tags === null ? {} : { tags: tags.filter((t) => !removed.includes(t.TagKey)) };
    }
    case 'PutKeyPolicy':
      return { policy: text(request.policy), policyIsDefault: false };
    case 'EnableKeyRotation':
      return {
        rotation: {
          enabled: true,
          rotationPeriodInDays: typeof request.rotationPeriodInDays === 'number' ? request.rotationPeriodInDays : 365,
        },
      };
    case 'DisableKeyRotation':
      return { rotation: { enabled: false, rotationPeriodInDays: null } };
    default:
      return {};
  }
}
