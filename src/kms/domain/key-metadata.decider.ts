import type { Scope } from './identifiers';
import { KmsError } from './kms-error';
import type { KmsEvent, Tag } from './kms-events';
import { type KmsState, withTags } from './kms-state';
import { checkPolicyName, policyDocument } from './key-policy';
import { MAX_TAGS, assertCustomerManaged, checkTags, existingKey, refuseState } from './key.decider';

/*
 * The key-metadata operations (docs/kms-behaviour.md#tags-description-and-key-policy): description,
 * tags and policy. They work in every key state but PendingDeletion (description and tags; the policy
 * in every state: docs/kms-behaviour.md#key-states), and on customer managed keys only.
 */

export function decideUpdateKeyDescription(
  command: { keyId: string; description: string },
  state: KmsState,
  scope: Scope,
): KmsEvent[] {
  const key = existingKey(state, command.keyId, scope);
  assertCustomerManaged(key);
  refuseState(key, scope, ['PendingDeletion']);
  return [
    { type: 'KeyDescriptionUpdated', data: { ...scope, keyId: command.keyId, description: command.description } },
  ];
}

/**
 * TagResource: the request's own tags checked, then the count the key would hold
 * (docs/kms-behaviour.md#decisions-where-aws-is-ambiguous).
 */
export function decideTagResource(command: { keyId: string; tags: readonly Tag[] }, state: KmsState, scope: Scope) {
  const key = existingKey(state, command.keyId, scope);
  assertCustomerManaged(key);
  refuseState(key, scope, ['PendingDeletion']);
  checkTags(command.tags);
  if (withTags(key.tags, command.tags).length > MAX_TAGS) throw new KmsError('TagException', 'Too many tags');
  const tags = command.tags.map(({ TagKey, TagValue }) => ({ TagKey, TagValue }));
  return [{ type: 'KeyTagged', data: { ...scope, keyId: command.keyId, tags } }] satisfies KmsEvent[];
}

/**
 * UntagResource: keys the key does not have are no error
 * (docs/kms-behaviour.md#tags-description-and-key-policy).
 */
export function decideUntagResource(
  command: { keyId: string; tagKeys: readonly string[] },
  state: KmsState,
  scope: Scope,
): KmsEvent[] {
  const key = existingKey(state, command.keyId, scope);
  assertCustomerManaged(key);
  refuseState(key, scope, ['PendingDeletion']);
  if (command.tagKeys.some((tagKey) => tagKey.toLowerCase().startsWith('aws:')))
    throw new KmsError('TagException', 'Tags beginning with aws: are reserved');
  return [{ type: 'KeyUntagged', data: { ...scope, keyId: command.keyId, tagKeys: [...new Set(command.tagKeys)] } }];
}

/**
 * PutKeyPolicy, in any key state: the policy's name, size and shape (key-policy.ts) are checked once
 * the key is found, as identifier resolution comes first (docs/kms-behaviour.md#order-of-checks);
 * stored pretty-printed.
 */
export function decidePutKeyPolicy(
  command: { keyId: string; policy: string; policyName?: string },
  state: KmsState,
  scope: Scope,
) {
  const key = existingKey(state, command.keyId, scope);
  assertCustomerManaged(key);
  checkPolicyName(command.policyName);
  const policy = policyDocument(command.policy);
  return [{ type: 'KeyPolicyPut', data: { ...scope, keyId: command.keyId, policy } }] satisfies KmsEvent[];
}
