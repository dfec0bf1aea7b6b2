import type { PolicyDocument } from './policy-document';

/** A caller: the access key it signs with, and who it is (the CloudTrail userIdentity). */
export interface Principal {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  /** e.g. arn:aws:iam::111122223333:user/Alice */
  readonly arn: string;
  readonly userName: string;
  /**
   * SHA-256 (hex) of a bearer token that also authenticates this principal on the query APIs, for
   * browsers and scripts that cannot sign; the token itself is never stored (bearer-tokens.ts).
   */
  readonly bearerTokenSha256?: string;
  /**
   * IAM-style identity-based policies (src/authz): explicit Deny wins, else an Allow allows, else
   * denied. Undefined: full access within the principal's own account.
   */
  readonly policies?: readonly PolicyDocument[];
  /**
   * Accepted without checking its signature: an access key no principal has, taken in permissive
   * mode (ALIASTRAIL_AUTH=permissive, local development only); its secretAccessKey is empty.
   */
  readonly signatureUnchecked?: true;
}

/** CloudTrail's `userIdentity` for a principal (docs/kms-behaviour.md#cloudtrail-records). */
export function userIdentityOf(principal: Principal) {
  return {
    type: 'IAMUser',
    principalId: principal.accessKeyId.replace(/^AKIA/, 'AIDA'),
    arn: principal.arn,
    accountId: principal.accountId,
    accessKeyId: principal.accessKeyId,
    userName: principal.userName,
  };
}
