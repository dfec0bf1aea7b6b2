import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiOf } from './api-of';
import { errorAnswer } from './error-answer';
import { faultOf } from './http-fault';
import { sendErrorAnswer } from './send-error-answer';

/**
 * The last word on every error of an HTTP route, and on unknown routes (Nest raises its 404 here):
 * each API answers in its own shape (src/api-errors/error-answer.ts), never in Nest's
 * `{"statusCode",…}` nor with a stack, path or SQL. A REST error already in its shape passes as it
 * is, with whatever it carries besides (`position`, the cut of an as-of answer).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  constructor(private readonly bodyLimit: number) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // GraphQL resolvers answer their own errors (GraphqlErrorsFilter); only HTTP routes come here.
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const api = apiOf(request.method, request.url, request.headers['x-amz-target']);
    if (api === 'rest' && exception instanceof HttpException && isRestError(exception.getResponse())) {
      reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    const fault = faultOf(exception, this.bodyLimit);
    if (fault.status >= 500)
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    sendErrorAnswer(reply, errorAnswer(api, fault, request.headers['x-amz-target']), request.id);
  }
}

const isRestError = (response: unknown) =>
  typeof (response as { error?: { code?: unknown } } | null)?.error?.code === 'string';
