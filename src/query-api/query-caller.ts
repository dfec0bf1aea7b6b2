import { HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { verifySigV4 } from '../auth/sigv4-verifier';
import { KmsError } from '../kms/kms-error';

/** The SigV4 service name the query APIs are signed for (e.g. `awscurl --service aliastrail`). */
export const QUERY_SERVICE = 'aliastrail';

/**
 * The principal behind a query request, from the same SigV4 credentials the KMS API takes; 401
 * otherwise. Callers only ever see their own account's data.
 */
export async function queryCaller(req: FastifyRequest, find: (accessKeyId: string) => Principal | undefined) {
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
    throw new HttpException(
      { error: { code: error.code, message: error.detail ?? error.code } },
      HttpStatus.UNAUTHORIZED,
    );
  }
}
