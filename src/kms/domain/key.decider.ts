import { type Scope, keyArn } from './identifiers';
import { KmsError, invalidState, notAuthorized, notFound, validation } from './kms-error';
import type { KmsEvent, Tag } from './kms-events';
import type { KeyState, KmsState } from './kms-state';
import { type KeySpec, type KeyUsage, type Origin, resolveKeyUsage } from './key-spec';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CreateKey {
  readonly keyId: string;
  /** The policy as policyDocument (key-policy.ts) returned it; undefined for the default one. */
  readonly policy?: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage | undefined;
  readonly origin: Origin;
  readonly description: string;
  readonly tags: readonly Tag[];
}

/** CreateKey (docs/kms-behaviour.md#keys-and-their-lifecycle): the spec/usage pair, then the tags. */
export function decideCreateKey(command: CreateKey, scope: Scope): KmsEvent[] {
  const keyUsage = resolveKeyUsage(command.keySpec, command.keyUsage);
  if (command.origin !== 'AWS_KMS' && command.origin !== 'EXTERNAL') {
    throw new KmsError('UnsupportedOperationException', `Origin ${command.origin} is not supported by aliastrail.`);
  }
  checkTags(command.tags);
  return [
    {
      type: 'KeyCreated',
      data: {
        ...scope,
        keyId: command.keyId,
        keySpec: command.keySpec,
        keyUsage,
        keyManager: 'CUSTOMER',
        origin: command.origin,
        description: command.description,
        tags: command.tags,
        ...(command.policy === undefined ? {} : { policy: command.policy }),
      },
    },
  ];
}

/**
 * Tags a key may hold at most (docs/kms-behaviour.md#tags-description-and-key-policy): CreateKey's, and
 * TagResource's result.
 */
export const MAX_TAGS = 50;

/** The tags of one CreateKey or TagResource call: at most 50, no key twice, none reserved. */
export function checkTags(tags: readonly Tag[]): void {
  const tagError = (message: string) => new KmsError('TagException', message);
  if (tags.length > MAX_TAGS) throw tagError('Too many tags');
  if (new Set(tags.map((tag) => tag.TagKey)).size !== tags.length) throw tagError('Duplicate tag keys');
  if (tags.some((tag) => tag.TagKey.toLowerCase().startsWith('aws:')))
    throw tagError('Tags beginning with aws: are reserved');
}

/** The key a key-only operation acts on, or NotFoundException as AWS words it. */
export function existingKey(state: KmsState, keyId: string, scope: Scope): KeyState {
  const key = state.keys.get(keyId);
  if (!key) throw notFound(`Key '${keyArn(scope, keyId)}' does not exist`);
  return key;
}

/** AWS managed keys are AWS's: customers cannot change them or point their aliases at them. */
export function assertCustomerManaged(key: KeyState): void {
  if (key.keyManager === 'AWS') throw notAuthorized();
}

/** KMSInvalidStateException, worded as AWS words it, when the key is in one of `states`. */
export function refuseState(key: KeyState, scope: Scope, states: readonly KeyState['keyState'][]): void {
  if (!states.includes(key.keyState)) return;
  const arn = keyArn(scope, key.keyId);
  if (key.keyState === 'PendingDeletion') throw invalidState(`${arn} is pending deletion.`);
  if (key.keyState === 'PendingImport') throw invalidState(`${arn} is pending import.`);
  throw invalidState(`${arn} is ${key.keyState}.`);
}

export function decideEnableKey(keyId: string, state: KmsState, scope: Scope): KmsEvent[] {
  const key = existingKey(state, keyId, scope);
  assertCustomerManaged(key);
  refuseState(key, scope, ['PendingDeletion', 'PendingImport']);
  return [{ type: 'KeyEnabled', data: { ...scope, keyId } }];
}

export function decideDisableKey(keyId: string, state: KmsState, scope: Scope): KmsEvent[] {
  const key = existingKey(state, keyId, scope);
  assertCustomerManaged(key);
  refuseState(key, scope, ['PendingDeletion', 'PendingImport']);
  return [{ type: 'KeyDisabled', data: { ...scope, keyId } }];
}

/** ScheduleKeyDeletion (docs/kms-behaviour.md#deleting-a-key): 7–30 days (default 30), to the millisecond. */
export function decideScheduleKeyDeletion(
  command: { keyId: string; pendingWindowInDays: number | undefined },
  state: KmsState,
  scope: Scope,
  now: Date,
): KmsEvent[] {
  const days = command.pendingWindowInDays ?? 30;
  if (days < 7 || days > 30) throw validation('PendingWindowInDays must be between 7 and 30');
  const key = existingKey(state, command.keyId, scope);
  assertCustomerManaged(key);
  refuseState(key, scope, ['PendingDeletion']);
  const deletionDate = new Date(now.getTime() + days * DAY_MS).toISOString();
  return [
    { type: 'KeyDeletionScheduled', data: { ...scope, keyId: command.keyId, deletionDate, pendingWindowInDays: days } },
  ];
}

export function decideCancelKeyDeletion(keyId: string, state: KmsState, scope: Scope): KmsEvent[] {
  const key = existingKey(state, keyId, scope);
  if (key.keyState !== 'PendingDeletion') throw invalidState(`${keyArn(scope, keyId)} is not pending deletion.`);
  return [{ type: 'KeyDeletionCanceled', data: { ...scope, keyId } }];
}

/**
 * At its deletion date a key goes, and every alias on it with it
 * (docs/history-model.md#units-of-work-and-consistency, rule 4). Nothing happens if the key is no
 * longer due (canceled, or already deleted).
 */
export function decideDeleteDueKey(keyId: string, state: KmsState, scope: Scope, now: Date): KmsEvent[] {
  const key = state.keys.get(keyId);
  if (!key || key.keyState !== 'PendingDeletion' || !key.deletionDate || key.deletionDate > now) return [];
  return [
    { type: 'KeyDeleted', data: { ...scope, keyId } },
    ...[...key.aliases].sort().map((aliasName): KmsEvent => ({
      type: 'AliasDeleted',
      data: { ...scope, aliasName, keyId, reason: 'key-deleted' },
    })),
  ];
}
