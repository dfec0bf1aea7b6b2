import { BearerTokens, tokenOfLookupKey } from './bearer-tokens';
import type { PolicyDocument } from './policy-document';
import type { Principal } from './principal';

/** What an access key of permissive mode may look like: `test`, `AKIA…`, and nothing that could smuggle text into a record. */
const PERMISSIVE_ACCESS_KEY = /^[A-Za-z0-9]{1,128}$/;

/**
 * What an unchecked caller may do: the KMS API, LookupEvents and the reads of its account's history
 * and audit trail; never the service-wide actions (a rebuild, the ledger's verify).
 */
const PERMISSIVE_POLICIES: readonly PolicyDocument[] = [
  {
    Statement: [
      {
        Effect: 'Allow',
        Action: ['kms:*', 'cloudtrail:LookupEvents', 'aliastrail:ReadHistory', 'aliastrail:ReadAudit'],
        Resource: ['*'],
      },
    ],
  },
];

/** The principals the service accepts, by access key id (or bearer token, for the query APIs). */
export class PrincipalRegistry {
  private readonly byAccessKey: ReadonlyMap<string, Principal>;
  private readonly bearerTokens: BearerTokens;

  /**
   * @param permissive permissive mode (config.ts): any other well-formed access key is a principal of
   *   this account whose signature is not checked; the configured principals stay checked.
   */
  constructor(
    principals: readonly Principal[],
    private readonly permissive?: { readonly accountId: string },
  ) {
    this.byAccessKey = new Map(principals.map((p) => [p.accessKeyId, p]));
    this.bearerTokens = new BearerTokens(principals);
  }

  /** By access key id; a `bearerLookupKey(token)` finds the principal of a bearer token instead. */
  find(accessKeyId: string): Principal | undefined {
    const token = tokenOfLookupKey(accessKeyId);
    if (token !== undefined) return this.bearerTokens.find(token);
    return this.byAccessKey.get(accessKeyId) ?? this.permissivePrincipal(accessKeyId);
  }

  /** The unchecked principal permissive mode makes of an unknown access key: an IAM user named after it. */
  private permissivePrincipal(accessKeyId: string): Principal | undefined {
    if (!this.permissive || !PERMISSIVE_ACCESS_KEY.test(accessKeyId)) return undefined;
    const { accountId } = this.permissive;
    return {
      accessKeyId,
      secretAccessKey: '',
      accountId,
      // Under a path of their own: an access key named `admin` is not the configured admin in the trail.
      arn: `arn:aws:iam::${accountId}:user/permissive/${accessKeyId}`,
      userName: accessKeyId,
      policies: PERMISSIVE_POLICIES,
      signatureUnchecked: true,
    };
  }

  /** The principal a bearer token belongs to (query APIs only; see bearer-tokens.ts). */
  findByBearerToken(token: string): Principal | undefined {
    return this.bearerTokens.find(token);
  }
}
