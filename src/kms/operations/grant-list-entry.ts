import { type Scope, keyArn, partitionOf } from '../domain/identifiers';
import { KmsError } from '../domain/kms-error';
import type { GrantRow } from '../store/grants-reader';
import { epochSeconds } from './wire-format';

const GRANT_ID = /^[0-9a-f]{64}$/;

/** A GrantId member that no grant of aliastrail can have (docs/kms-behaviour.md#grants; message chosen). */
export function checkGrantId(grantId: string): string {
  if (!GRANT_ID.test(grantId)) throw new KmsError('InvalidGrantIdException', `Invalid grantId '${grantId}'`);
  return grantId;
}

/**
 * A GrantListEntry (docs/kms-behaviour.md#grants): absent members left out, principals as they were
 * given.
 */
export function grantListEntry(scope: Scope, row: GrantRow): Record<string, unknown> {
  return {
    KeyId: keyArn(scope, row.key_id),
    GrantId: row.grant_id,
    ...(row.name !== null ? { Name: row.name } : {}),
    CreationDate: epochSeconds(row.creation_date),
    GranteePrincipal: row.grantee_principal,
    ...(row.retiring_principal !== null ? { RetiringPrincipal: row.retiring_principal } : {}),
    IssuingAccount: `arn:${partitionOf(scope.region)}:iam::${scope.accountId}:root`,
    Operations: row.operations,
    ...(row.constraints !== null ? { Constraints: row.constraints } : {}),
  };
}
