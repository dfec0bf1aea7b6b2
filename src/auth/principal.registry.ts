import { BearerTokens, tokenOfLookupKey } from './bearer-tokens';
import type { Principal } from './principal';

/** The principals the service accepts, by access key id (or bearer token, for the query APIs). */
export class PrincipalRegistry {
  private readonly byAccessKey: ReadonlyMap<string, Principal>;
  private readonly bearerTokens: BearerTokens;

  constructor(principals: readonly Principal[]) {
    this.byAccessKey = new Map(principals.map((p) => [p.accessKeyId, p]));
    this.bearerTokens = new BearerTokens(principals);
  }

  /** By access key id; a `bearerLookupKey(token)` finds the principal of a bearer token instead. */
  find(accessKeyId: string): Principal | undefined {
    const token = tokenOfLookupKey(accessKeyId);
    return token === undefined ? this.byAccessKey.get(accessKeyId) : this.bearerTokens.find(token);
  }

  /** The principal a bearer token belongs to (query APIs only; see bearer-tokens.ts). */
  findByBearerToken(token: string): Principal | undefined {
    return this.bearerTokens.find(token);
  }
}
