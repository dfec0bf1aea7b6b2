import { restError } from '../api-errors/rest-error';
import type { Principal } from '../auth/principal';
import type { Scope } from '../kms/domain/identifiers';
import { denialMessage, denialOf } from './authorize';

/**
 * The actions of aliastrail's own APIs, for IAM-style policies beside the `kms:` ones, so that an
 * auditor can be allowed to read everything of an account and change nothing.
 */
export const QUERY_ACTIONS = {
  /** The temporal REST and GraphQL queries: aliases at T, histories, diffs. */
  readHistory: 'aliastrail:ReadHistory',
  /** Audit search and export (REST, GraphQL); CloudTrail's LookupEvents has its own action. */
  readAudit: 'aliastrail:ReadAudit',
  lookupEvents: 'cloudtrail:LookupEvents',
  /** Starting a projection rebuild, and seeing how one goes. */
  rebuild: 'aliastrail:Rebuild',
  describeRebuild: 'aliastrail:DescribeRebuild',
  /** Verifying the tamper-evident ledger. */
  verifyLedger: 'aliastrail:VerifyLedger',
  /** Moving the controllable clock (ALIASTRAIL_CLOCK=controllable): it runs every account's due deletions. */
  advanceClock: 'aliastrail:AdvanceClock',
  /**
   * Issuing, listing and revoking bearer tokens of the caller's own principal (POST, GET and DELETE
   * /admin/tokens), on the caller's principal ARN (e.g. arn:aws:iam::111122223333:user/admin).
   */
  createToken: 'aliastrail:CreateToken',
  listTokens: 'aliastrail:ListTokens',
  revokeToken: 'aliastrail:RevokeToken',
} as const;

/** What a query or admin action is on: the account's history or audit trail in a Region, or a projection. */
export const historyArn = (scope: Scope) => `arn:aws:aliastrail:${scope.region}:${scope.accountId}:history`;
export const auditArn = (scope: Scope) => `arn:aws:aliastrail:${scope.region}:${scope.accountId}:audit`;
export const projectionArn = (accountId: string, name: string) => `arn:aws:aliastrail::${accountId}:projection/${name}`;

/** 403 with AWS's message unless `principal` may do `action` on `resource` (REST answers). */
export function requireAction(principal: Principal, action: string, resource: string): void {
  const denial = denialOf(principal, action, [resource]);
  if (denial)
    throw restError(403, 'AccessDeniedException', denialMessage(denial));
}

/** The tamper-evident ledger, one for the whole service (every account's events). */
export const LEDGER_ARN = 'arn:aws:aliastrail:::ledger';

/** The service's clock, one for the whole service (moving it moves every account's time). */
export const CLOCK_ARN = 'arn:aws:aliastrail:::clock';
