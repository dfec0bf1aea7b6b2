import type { FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import { bearerLookupKey, bearerTokenOf } from '../auth/bearer-tokens';
import type { Principal } from '../auth/principal';
import { verifySigV4 } from '../auth/sigv4-verifier';
import { KmsError } from '../kms/domain/kms-error';

/** The SigV4 service name the query APIs are signed for (e.g. `awscurl --service aliastrail`). */
export const QUERY_SERVICE = 'aliastrail';

const unauthorized = (code: string, message: string) => restError(401, code, message);

/**
 * The principal behind a query request: the same SigV4 credentials the KMS API takes, or a bearer
 * token (`Authorization: Bearer <token>`) configured for the principal or issued to it since
 * (src/bearer-tokens); 401 otherwise, the same answer whatever was wrong with the token (unknown,
 * malformed, expired, revoked). Callers only ever see their own account's data. `find` looks
 * principals up by access key id, and by `bearerLookupKey(token)` for the principals file's bearer
 * tokens, as PrincipalRegistry.find does; `findIssued`, when given, finds the principal of a token
 * the file does not have.
 *
 * @example const caller = await queryCaller(req, (id) => registry.find(id), (t) => issued.principalOf(t));
 */
export async function queryCaller(
  req: FastifyRequest,
  find: (accessKeyId: string) => Principal | undefined,
  findIssued?: (token: string) => Promise<Principal | undefined>,
): Promise<Principal> {
  const token = bearerTokenOf(req.headers.authorization);
  if (token !== undefined) {
    const principal = find(bearerLookupKey(token)) ?? (await findIssued?.(token));
    if (!principal)
      throw unauthorized('UnrecognizedClientException', 'The security token included in the request is invalid.');
    return principal;
  }
  const [path, search] = req.url.split('?', 2) as [string, string | undefined];
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(search ?? '')) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  try {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return (
      await verifySigV4(
        { method: req.method, path, query, headers: req.headers, body },
        QUERY_SERVICE,
        find,
        new Date(),
      )
    ).principal;
  } catch (error) {
    if (!(error instanceof KmsError)) throw error;
    throw unauthorized(error.code, error.detail ?? error.code);
  }
}
