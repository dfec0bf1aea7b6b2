import { MAX_ALIAS_NAME_LENGTH } from '../kms/domain/alias-name';
import { aliasArn, type Scope } from '../kms/domain/identifiers';

/** The members through which a call names the key it uses: an alias there is the alias it came through. */
export const KEY_REFERENCE_MEMBERS = ['KeyId', 'SourceKeyId', 'DestinationKeyId'] as const;

/**
 * The aliases a call named as its key (KeyId, SourceKeyId, DestinationKeyId as sent: `alias/x`, or the
 * alias ARN of the call's own account and Region), each once, in member order: the calls that came
 * through an alias, which the alias search and an alias's usage count. A crypto call's record lists
 * only the key it resolved (docs/kms-behaviour.md#cloudtrail-records), so this is kept beside the
 * resources. Names longer than an alias name can be are left out (a failed call keeps what it was
 * sent), counted in code points as SQL's length() counts them. The SQL function audit_named_aliases
 * (db/functions/audit_events.sql) is its twin.
 *
 * @example namedAliasesOf(scope, { KeyId: 'alias/finance' }) // ['alias/finance']
 */
export function namedAliasesOf(scope: Scope, requestParameters: unknown): string[] {
  if (typeof requestParameters !== 'object' || requestParameters === null) return [];
  const prefix = aliasArn(scope, '');
  const names: string[] = [];
  for (const member of KEY_REFERENCE_MEMBERS) {
    const value = (requestParameters as Record<string, unknown>)[member];
    if (typeof value !== 'string') continue;
    const name = value.startsWith(prefix) ? value.slice(prefix.length) : value;
    const fits = name.startsWith('alias/') && Array.from(name).length <= MAX_ALIAS_NAME_LENGTH;
    if (fits && !names.includes(name)) names.push(name);
  }
  return names;
}
