import { HttpException, HttpStatus } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import type { QueryCallers } from '../callers/query-callers';

// Who sent each authenticated request, for the GraphQL context; gone with the request.
const authenticated = new WeakMap<FastifyRequest, Principal>();

/** The principal the preHandler authenticated for this request, if any. */
export function callerOf(request: FastifyRequest): Principal | undefined {
  return authenticated.get(request);
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

const STATUS_CODES: Readonly<Record<number, string>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  429: 'THROTTLED',
};

/**
 * The preHandler of the /graphql routes: the same credentials and rate limit as the REST query API
 * (QueryCallers), or HTTP 401 (429 when throttled) with a GraphQL-shaped body. A hook rather than a resolver check, so that an
 * unauthenticated request never reaches parsing or execution, and its status is a real 401, not a
 * 200 carrying errors.
 */
export function authenticateGraphql(callers: QueryCallers) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    try {
      authenticated.set(request, await callers.of(signedView(request)));
      return undefined;
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= HttpStatus.INTERNAL_SERVER_ERROR) throw error;
      const body = error.getResponse() as { error?: { code?: string; message?: string } };
      const status = error.getStatus();
      const code = STATUS_CODES[status] ?? 'BAD_REQUEST';
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
