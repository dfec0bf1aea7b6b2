import { KmsError, notFound, validation } from './kms-error';

/** Where a request acts: the caller's account and the Region of its credential scope. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

const KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ARN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export const isKeyId = (value: string) => KEY_ID.test(value);

export function keyArn(scope: Scope, keyId: string): string {
  return `arn:${partitionOf(scope.region)}:kms:${scope.region}:${scope.accountId}:key/${keyId}`;
}

/** `aliasName` includes `alias/`. */
export function aliasArn(scope: Scope, aliasName: string): string {
  return `arn:${partitionOf(scope.region)}:kms:${scope.region}:${scope.accountId}:${aliasName}`;
}

export type KeyReference =
  { readonly kind: 'key'; readonly keyId: string } | { readonly kind: 'alias'; readonly aliasName: string };

/**
 * Reads a KeyId parameter (docs/kms-behaviour.md#accounts-regions-and-identifiers): a key id, a key
 * ARN, an alias name or an alias ARN. A key or alias ARN must name the caller's Region; a key ARN of
 * another account names no key of the caller's.
 */
export function parseKeyReference(value: string, scope: Scope): KeyReference {
  // No key or alias name holds U+0000, and PostgreSQL text cannot even be asked about one.
  if (value.includes('\u0000')) throw notFound(`Invalid keyId '${value}'`);
  if (value.startsWith('alias/')) return { kind: 'alias', aliasName: value };
  if (isKeyId(value)) return { kind: 'key', keyId: value };
  const arn = ARN.exec(value);
  if (!arn) throw notFound(`Invalid keyId '${value}'`);
  const [, , region, accountId, type, rest] = arn as unknown as [string, string, string, string, string, string];
  if (region !== scope.region) throw notFound(`Invalid arn ${region}`);
  if (type === 'alias') {
    if (accountId !== scope.accountId) throw notFound(`Alias ${value} is not found.`);
    return { kind: 'alias', aliasName: `alias/${rest}` };
  }
  if (!isKeyId(rest)) throw notFound(`Invalid keyId '${value}'`);
  if (accountId !== scope.accountId) throw notFound(`Key '${value}' does not exist`);
  return { kind: 'key', keyId: rest };
}

/** A reference that must name a key directly (TargetKeyId, ScheduleKeyDeletion, …): aliases are refused. */
export function parseKeyOnly(value: string, scope: Scope, aliasError: () => KmsError): string {
  const reference = parseKeyReference(value, scope);
  if (reference.kind === 'alias') throw aliasError();
  return reference.keyId;
}

/**
 * TargetKeyId of CreateAlias/UpdateAlias (docs/kms-behaviour.md#aliases): a key id or key ARN, never an
 * alias.
 */
export function parseTargetKeyId(value: string, scope: Scope): string {
  if (value.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(value)) {
    throw validation('Aliases must refer to keys. Not aliases');
  }
  return parseKeyOnly(value, scope, () => validation('Aliases must refer to keys. Not aliases'));
}
