import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The request as its SigV4 signature covers it, for QueryCallers.of on a route that takes a JSON
 * body: Fastify has already parsed that body, and queryCaller hashes `body` only when it is bytes,
 * so a signed JSON body would never match. The exact bytes come from `rawBody`, kept by Nest's
 * JSON parser (`rawBody: true` in app.factory.ts); everything else is the request itself, through
 * the prototype. (graphql-auth.ts does the same for /graphql.)
 *
 * @example const caller = await this.callers.of(signedRequest(req));
 */
export function signedRequest(request: RawBodyRequest<FastifyRequest>): FastifyRequest {
  const body = Buffer.isBuffer(request.rawBody) ? request.rawBody : request.body;
  return Object.create(request, { body: { value: body } }) as FastifyRequest;
}
