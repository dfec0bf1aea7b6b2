import { dryRunPassed } from './crypto-key-checks';
import type { GrantConstraints, GrantCreated, GrantEvent } from './grant-events';
import type { GrantState } from './grant-state';
import { type Scope, keyArn } from './identifiers';
import { KmsError, invalidState, notFound, validation } from './kms-error';
import type { KeyState } from './kms-state';

/** What a grant unit decides from: the key (absent once deleted) and its live grants. */
export interface GrantsOfKey {
  readonly key: KeyState | undefined;
  readonly grants: ReadonlyMap<string, GrantState>;
}

export interface CreateGrant {
  readonly keyId: string;
  /** The id a new grant gets (64 lowercase hex, from the handler's generator). */
  readonly newGrantId: string;
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string;
  readonly operations: readonly string[];
  readonly constraints?: GrantConstraints;
  readonly name?: string;
  readonly dryRun: boolean;
}

/** The GrantOperation enum of the service model, in its order (docs/kms-behaviour.md#grants). */
export const GRANT_OPERATION_NAMES = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'Sign',
  'Verify',
  'GetPublicKey',
  'CreateGrant',
  'RetireGrant',
  'DescribeKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac',
  'VerifyMac',
  'DeriveSharedSecret',
] as const;

/** The operations a grant may allow on every key (docs/kms-behaviour.md#grants). */
const ANY_KEY = ['CreateGrant', 'RetireGrant', 'DescribeKey'];
const SYMMETRIC = [
  'Decrypt',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
];
const BY_USAGE: Readonly<Record<string, readonly string[]>> = {
  ENCRYPT_DECRYPT: ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey'],
  SIGN_VERIFY: ['Sign', 'Verify', 'GetPublicKey'],
  GENERATE_VERIFY_MAC: ['GenerateMac', 'VerifyMac'],
  KEY_AGREEMENT: ['DeriveSharedSecret', 'GetPublicKey'],
};

/** The operations a grant on `key` may allow: what the key's type can do, as AWS's documentation lists it. */
export function grantableOperations(key: Pick<KeyState, 'keySpec' | 'keyUsage'>): ReadonlySet<string> {
  const own = key.keySpec === 'SYMMETRIC_DEFAULT' ? SYMMETRIC : (BY_USAGE[key.keyUsage] ?? []);
  return new Set([...ANY_KEY, ...own]);
}

/**
 * CreateGrant (docs/kms-behaviour.md#grants, #decisions-where-aws-is-ambiguous): on an existing key in
 * a usable state, operations the key can do, constraints only on symmetric keys (≤ 8 pairs, values ≤
 * 384 characters). With a Name, the live grant of that name with identical parameters is the answer,
 * and nothing is appended.
 */
export function decideCreateGrant(
  command: CreateGrant,
  { key: found, grants }: GrantsOfKey,
  scope: Scope,
): { readonly grantId: string; readonly events: GrantEvent[] } {
  const key = requireKey(found, command.keyId, scope);
  const arn = keyArn(scope, key.keyId);
  if (key.keyState === 'Disabled') throw new KmsError('DisabledException', `${arn} is disabled.`);
  if (key.keyState === 'PendingDeletion') throw invalidState(`${arn} is pending deletion.`);
  if (key.keyState === 'PendingImport') throw invalidState(`${arn} is pending import.`);
  const allowed = grantableOperations(key);
  const refused = command.operations.find((operation) => !allowed.has(operation));
  if (refused !== undefined) throw validation(`Grant operation ${refused} is not supported for this key.`);
  const constraints = presentConstraints(command.constraints);
  if (constraints) checkConstraints(constraints, key);
  const wanted: GrantCreated = {
    ...scope,
    keyId: key.keyId,
    grantId: command.newGrantId,
    ...(command.name !== undefined ? { name: command.name } : {}),
    granteePrincipal: command.granteePrincipal,
    ...(command.retiringPrincipal !== undefined ? { retiringPrincipal: command.retiringPrincipal } : {}),
    operations: command.operations,
    ...(constraints ? { constraints } : {}),
  };
  const same = command.name === undefined ? undefined : [...grants.values()].find((g) => sameGrant(g.grant, wanted));
  if (command.dryRun) throw dryRunPassed();
  if (same) return { grantId: same.grant.grantId, events: [] };
  return { grantId: wanted.grantId, events: [{ type: 'GrantCreated', data: wanted }] };
}

/**
 * RetireGrant by key and grant id, or by the grant a token names (docs/kms-behaviour.md#grants,
 * #decisions-where-aws-is-ambiguous).
 */
export function decideRetireGrant(
  command: { readonly keyId: string; readonly grantId: string; readonly byToken: boolean; readonly dryRun: boolean },
  of: GrantsOfKey,
  scope: Scope,
): GrantEvent[] {
  // A token of a grant that is gone names nothing that can be retired: the token is what was wrong.
  if (command.byToken && (!of.key || !of.grants.has(command.grantId)))
    throw new KmsError('InvalidGrantTokenException', undefined);
  const ended = endGrant(command, of, scope);
  return [{ type: 'GrantRetired', data: ended }];
}

/** RevokeGrant (docs/kms-behaviour.md#grants): the key's grant of that id ends. */
export function decideRevokeGrant(
  command: { readonly keyId: string; readonly grantId: string; readonly dryRun: boolean },
  of: GrantsOfKey,
  scope: Scope,
): GrantEvent[] {
  return [{ type: 'GrantRevoked', data: endGrant(command, of, scope) }];
}

function endGrant(
  command: { readonly keyId: string; readonly grantId: string; readonly dryRun: boolean },
  { key, grants }: GrantsOfKey,
  scope: Scope,
) {
  requireKey(key, command.keyId, scope);
  if (!grants.has(command.grantId)) throw notFound(`Grant ID ${command.grantId} not found`);
  if (command.dryRun) throw dryRunPassed();
  return { ...scope, keyId: command.keyId, grantId: command.grantId };
}

/** The key, or NotFoundException as existingKey (key.decider.ts) words it. */
function requireKey(key: KeyState | undefined, keyId: string, scope: Scope): KeyState {
  if (!key) throw notFound(`Key '${keyArn(scope, keyId)}' does not exist`);
  return key;
}

/** An empty Constraints structure constrains nothing: it is kept as no constraint at all. */
function presentConstraints(constraints: GrantConstraints | undefined): GrantConstraints | undefined {
  if (!constraints) return undefined;
  const kept: GrantConstraints = {
    ...(constraints.EncryptionContextSubset ? { EncryptionContextSubset: constraints.EncryptionContextSubset } : {}),
    ...(constraints.EncryptionContextEquals ? { EncryptionContextEquals: constraints.EncryptionContextEquals } : {}),
  };
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function checkConstraints(constraints: GrantConstraints, key: KeyState): void {
  // Only symmetric encryption keys take an encryption context (docs/kms-behaviour.md#encryption-context).
  if (key.keySpec !== 'SYMMETRIC_DEFAULT') throw validation('Grant constraints are not supported for this key.');
  for (const context of [constraints.EncryptionContextSubset, constraints.EncryptionContextEquals]) {
    if (!context) continue;
    const values = Object.values(context);
    // One chosen text for both limits of a constraint.
    if (values.length > 8 || values.some((value) => [...value].length > 384))
      throw validation('Grant constraint has too many encryption context pairs.');
  }
}

/** The same grant asked for again: every parameter equal, the operations as a set. */
function sameGrant(a: GrantCreated, b: GrantCreated): boolean {
  const operations = (g: GrantCreated) => JSON.stringify([...new Set(g.operations)].sort());
  return (
    a.name === b.name &&
    a.granteePrincipal === b.granteePrincipal &&
    a.retiringPrincipal === b.retiringPrincipal &&
    operations(a) === operations(b) &&
    canonicalConstraints(a.constraints) === canonicalConstraints(b.constraints)
  );
}

function canonicalConstraints(constraints: GrantConstraints | undefined): string {
  const sorted = (context: Readonly<Record<string, string>> | undefined) =>
    context && Object.entries(context).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return JSON.stringify([sorted(constraints?.EncryptionContextSubset), sorted(constraints?.EncryptionContextEquals)]);
}
