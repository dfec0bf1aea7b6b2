import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { securityHeadersFor } from '../http/security-headers';
import { apiOf } from './api-of';
import { errorAnswer } from './error-answer';
import { faultOf } from './http-fault';
import { sendErrorAnswer } from './send-error-answer';

/**
 * Fastify's `frameworkErrors`: its router refuses a malformed URL (400) or an over-long path
 * parameter (414, `maxParamLength`) before any hook runs, so this also sets the headers the
 * onRequest hook would have.
 */
export function frameworkErrors(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    reply.header('x-request-id', request.id).headers(securityHeadersFor(request.url));
    const api = apiOf(request.method, request.url, request.headers['x-amz-target']);
    sendErrorAnswer(reply, errorAnswer(api, faultOf(error, bodyLimit), request.headers['x-amz-target']), request.id);
  };
}

/**
 * The root error handler of the Fastify instance, set before any route exists so that every route
 * takes it: what fails in Fastify before a handler runs (a body over the limit without a length,
 * malformed JSON, a Content-Length that lies) answers in the route's API shape. GraphQL's routes
 * keep mercurius's handler, which answers GraphQL's shape.
 */
export function fastifyErrorHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const fault = faultOf(error, bodyLimit);
    if (fault.status >= 500) request.log.error({ err: error }, 'request failed');
    const api = apiOf(request.method, request.url, request.headers['x-amz-target']);
    sendErrorAnswer(reply, errorAnswer(api, fault, request.headers['x-amz-target']), request.id);
  };
}
