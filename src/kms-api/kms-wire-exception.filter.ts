import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter, type HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KmsError } from '../kms/kms-error';
import { AMZ_JSON, errorBody } from './kms.controller';

/**
 * Errors raised before the KMS controller runs (a body over the limit, say) still reach KMS clients
 * in AWS's shape; every other route keeps Nest's answers.
 */
@Catch()
export class KmsWireExceptionFilter extends BaseExceptionFilter {
  constructor(
    adapter: HttpAdapterHost['httpAdapter'],
    private readonly bodyLimit: number,
  ) {
    super(adapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    // GraphQL resolvers answer their own errors; only HTTP routes get Nest's or the KMS shape.
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.method !== 'POST' || request.url.split('?')[0] !== '/') return super.catch(exception, host);
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    const kmsError =
      status === 413
        ? new KmsError(
            'SerializationException',
            `The request body is larger than the ${this.bodyLimit} bytes accepted.`,
          )
        : status < 500
          ? new KmsError('SerializationException', 'The request could not be read.')
          : new KmsError('KMSInternalException', 'An internal error occurred.', 500);
    http
      .getResponse<FastifyReply>()
      .status(kmsError.status)
      .header('content-type', AMZ_JSON)
      .header('x-amzn-RequestId', request.id)
      .send(Buffer.from(JSON.stringify(errorBody(kmsError))));
  }
}
