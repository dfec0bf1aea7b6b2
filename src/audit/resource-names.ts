import { partitionOf, type Scope } from '../kms/domain/identifiers';

/**
 * What a search by resource matches for an ARN: `alias/x` for an alias, the key id for a key (what
 * follows the ARN's fifth colon, without `key/`). The SQL function audit_resource_name
 * (db/functions/audit_events.sql) is its twin.
 *
 * @example resourceNameOf('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-…') // '1234abcd-…'
 */
export function resourceNameOf(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.startsWith('key/') ? resource.slice('key/'.length) : resource;
}

/**
 * The name to look for when a caller searches for `term` (an alias name, a key id, or the ARN of
 * either); undefined when it is an ARN outside the caller's account and Region, which no record of
 * theirs names (a record's resources are all in its own account and Region).
 *
 * @example searchedNameOf({ accountId: '111122223333', region: 'eu-west-1' }, 'arn:aws:kms:eu-west-1:111122223333:alias/x') // 'alias/x'
 */
export function searchedNameOf(scope: Scope, term: string): string | undefined {
  if (!term.startsWith('arn:')) return term;
  const prefix = `arn:${partitionOf(scope.region)}:kms:${scope.region}:${scope.accountId}:`;
  return term.startsWith(prefix) ? resourceNameOf(term) : undefined;
}
