import { type Scope, aliasArn } from './identifiers';
import { KmsError, alreadyExists, limitExceeded, notFound, validation } from './kms-error';
import type { KmsEvent } from './kms-events';
import { assertCustomerManaged, existingKey, refuseState } from './key.decider';
import type { KeyState, KmsState } from './kms-state';
import { keyClassOf, type KeySpec } from './key-spec';

export const ALIASES_PER_KEY = 50;

/** A TargetKeyId after parsing: the key id, or the error parsing produced (reported in AWS's order). */
export type Target = { readonly keyId: string } | { readonly error: KmsError };

export interface CreateAlias {
  readonly aliasName: string;
  readonly target: Target;
}

export interface UpdateAlias {
  readonly aliasName: string;
  readonly target: Target;
}

export interface DeleteAlias {
  readonly aliasName: string;
}

/**
 * CreateAlias after the name checks, in the order of docs/kms-behaviour.md#aliases: the name is free,
 * the target is a customer managed key of this account and Region, not pending deletion, with room.
 */
export function decideCreateAlias(command: CreateAlias, state: KmsState, scope: Scope): KmsEvent[] {
  if (state.aliases.has(command.aliasName)) {
    throw alreadyExists(`An alias with the name ${aliasArn(scope, command.aliasName)} already exists`);
  }
  const key = usableTarget(command.target, state, scope);
  checkRoom(key);
  return [{ type: 'AliasCreated', data: { ...scope, aliasName: command.aliasName, keyId: key.keyId } }];
}

/**
 * UpdateAlias (docs/kms-behaviour.md#aliases): alias exists → target → target state → type and usage →
 * quota.
 */
export function decideUpdateAlias(command: UpdateAlias, state: KmsState, scope: Scope): KmsEvent[] {
  const alias = state.aliases.get(command.aliasName);
  if (!alias) throw notFound(`Alias ${aliasArn(scope, command.aliasName)} is not found.`);
  const key = usableTarget(command.target, state, scope);
  const current = state.keys.get(alias.keyId);
  if (current) checkCompatible(command.aliasName, current, key);
  if (key.keyId !== alias.keyId) checkRoom(key);
  return [
    {
      type: 'AliasRetargeted',
      data: { ...scope, aliasName: command.aliasName, fromKeyId: alias.keyId, toKeyId: key.keyId },
    },
  ];
}

export function decideDeleteAlias(command: DeleteAlias, state: KmsState, scope: Scope): KmsEvent[] {
  const alias = state.aliases.get(command.aliasName);
  if (!alias) throw notFound(`Alias ${aliasArn(scope, command.aliasName)} is not found.`);
  return [
    { type: 'AliasDeleted', data: { ...scope, aliasName: command.aliasName, keyId: alias.keyId, reason: 'api' } },
  ];
}

function usableTarget(target: Target, state: KmsState, scope: Scope): KeyState {
  if ('error' in target) throw target.error;
  const key = existingKey(state, target.keyId, scope);
  assertCustomerManaged(key);
  refuseState(key, scope, ['PendingDeletion']);
  return key;
}

function checkRoom(key: KeyState): void {
  if (key.aliases.size >= ALIASES_PER_KEY) {
    throw limitExceeded(
      `Aliases per key quota for this account in this region is ${ALIASES_PER_KEY}, current usage is ${key.aliases.size}.`,
    );
  }
}

/**
 * Same key usage, then same class (symmetric / HMAC / asymmetric); the usage message wins
 * (docs/kms-behaviour.md#aliases).
 */
function checkCompatible(aliasName: string, current: KeyState, next: KeyState): void {
  if (current.keyUsage !== next.keyUsage) {
    throw validation(
      `Alias ${aliasName} cannot be changed from a CMK with key usage ${current.keyUsage} to a CMK with key usage ` +
        `${next.keyUsage}. The key usage of the current CMK and the new CMK must be the same.`,
    );
  }
  if (keyClassOf(current.keySpec as KeySpec) !== keyClassOf(next.keySpec as KeySpec)) {
    throw validation(
      `Alias ${aliasName} cannot be changed from a CMK with key spec ${current.keySpec} to a CMK with key spec ` +
        `${next.keySpec}. The key type of the current CMK and the new CMK must be the same.`,
    );
  }
}
