import { HttpException, HttpStatus } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import type { PrincipalRegistry } from '../auth/principal.registry';
import { queryCaller } from '../query-api/query-caller';

// Who sent each authenticated request, for the GraphQL context; gone with the request.
const callers = new WeakMap<FastifyRequest, Principal>();

/** The principal the preHandler authenticated for this request, if any. */
export function callerOf(request: FastifyRequest): Principal | undefined {
  return callers.get(request);
}

/**
 * The request as the signature covers it. Fastify has already parsed a JSON body for mercurius, so
 * the exact bytes (which SigV4 signs) come from `rawBody`, kept by Nest's JSON parser (`rawBody: true`
 * in app.factory.ts). Everything else is the request itself, through the prototype.
 */
function signedView(request: RawBodyRequest<FastifyRequest>): FastifyRequest {
  const body = Buffer.isBuffer(request.rawBody) ? request.rawBody : request.body;
  return Object.create(request, { body: { value: body } }) as FastifyRequest;
}

/**
 * The preHandler of the /graphql routes: the same credentials as the REST query API (queryCaller),
 * or HTTP 401 with a GraphQL-shaped body. A hook rather than a resolver check, so that an
 * unauthenticated request never reaches parsing or execution, and its status is a real 401, not a
 * 200 carrying errors.
 */
export function authenticateGraphql(principals: PrincipalRegistry) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    try {
      callers.set(request, await queryCaller(signedView(request), (id) => principals.find(id)));
      return undefined;
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= HttpStatus.INTERNAL_SERVER_ERROR) throw error;
      const body = error.getResponse() as { error?: { code?: string; message?: string } };
      const status = error.getStatus();
      const code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST';
      // Returning the reply tells Fastify the request is answered: mercurius never sees it.
      return reply.code(status).send({
        data: null,
        errors: [
          { message: body.error?.message ?? error.message, extensions: { code, reason: body.error?.code ?? null } },
        ],
      });
    }
  };
}
