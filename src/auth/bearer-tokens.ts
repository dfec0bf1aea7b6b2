import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal';

/** The form the principals file keeps a bearer token in: its SHA-256, 64 lower-case hex digits. */
export const sha256Hex = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * How a bearer token is looked up through a principal lookup by access key id (PrincipalRegistry.find,
 * and the `find` that queryCaller takes): `Bearer <token>`. It can never be an access key id, which has
 * no spaces (the principals file and the SigV4 Credential both exclude them), so one lookup function
 * serves both and every caller of queryCaller accepts bearer tokens without knowing about them.
 */
export const bearerLookupKey = (token: string): string => `Bearer ${token}`;

const LOOKUP_PREFIX = bearerLookupKey('');

/** The token of a `bearerLookupKey`; undefined for an access key id. */
export const tokenOfLookupKey = (key: string): string | undefined =>
  key.startsWith(LOOKUP_PREFIX) ? key.slice(LOOKUP_PREFIX.length) : undefined;

/** The token of an `Authorization: Bearer <token>` header; undefined for any other scheme. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * The principals that have a bearer token, found by the token. Only digests are kept: a leaked
 * principals file or heap dump yields no usable token, and since tokens are long random strings (not
 * passwords) an unsalted SHA-256 leaves nothing to brute-force. Every digest is compared, in constant
 * time, whatever matches, so timing says nothing about which ones exist.
 */
export class BearerTokens {
  private readonly entries: readonly { readonly digest: Buffer; readonly principal: Principal }[];

  constructor(principals: readonly Principal[]) {
    this.entries = principals.flatMap((principal) =>
      principal.bearerTokenSha256 ? [{ digest: Buffer.from(principal.bearerTokenSha256, 'hex'), principal }] : [],
    );
  }

  find(token: string): Principal | undefined {
    const digest = createHash('sha256').update(token, 'utf8').digest();
    let found: Principal | undefined;
    for (const entry of this.entries) if (timingSafeEqual(entry.digest, digest)) found ??= entry.principal;
    return found;
  }
}
