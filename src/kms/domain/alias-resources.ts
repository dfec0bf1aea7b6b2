import type { Target } from './alias.decider';
import { targetKeyIds } from './alias-target';
import { type Scope, aliasArn, keyArn } from './identifiers';
import type { KmsState } from './kms-state';

/*
 * The resources IAM authorises an alias operation on. AWS requires permission on the alias and on
 * every key the operation involves: the key CreateAlias targets; the key UpdateAlias moves the alias
 * from and the one it moves it to; the key DeleteAlias leaves. The keys an alias points to now come
 * from the state read under the unit's locks, so a concurrent UpdateAlias cannot slip a key past IAM.
 */

function aliasAndKeys(scope: Scope, aliasName: string, keyIds: readonly (string | undefined)[]): string[] {
  return [aliasArn(scope, aliasName), ...keyIds.flatMap((id) => (id === undefined ? [] : [keyArn(scope, id)]))];
}

const currentKeyOf = (state: KmsState, aliasName: string) => state.aliases.get(aliasName)?.keyId;

export function createAliasResources(scope: Scope, aliasName: string, target: Target): string[] {
  return aliasAndKeys(scope, aliasName, targetKeyIds(target));
}

export function updateAliasResources(scope: Scope, aliasName: string, state: KmsState, target: Target): string[] {
  return aliasAndKeys(scope, aliasName, [currentKeyOf(state, aliasName), ...targetKeyIds(target)]);
}

export function deleteAliasResources(scope: Scope, aliasName: string, state: KmsState): string[] {
  return aliasAndKeys(scope, aliasName, [currentKeyOf(state, aliasName)]);
}
