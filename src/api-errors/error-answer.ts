import { KmsError, dependencyTimeout } from '../kms/domain/kms-error';
import { AMZ_JSON, errorBody } from '../aws-json/aws-json-error';
import type { Api } from './api-of';
import type { HttpFault } from './http-fault';

/** An error answer, ready for Fastify or for a raw socket. */
export interface ErrorAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * `fault` in the shape of `api`:
 * - aws: `{"__type","message"}` as AWS JSON 1.1 (KMS answers 400 for every refusal and 500 for its
 *   own faults; an unknown route is an UnknownOperationException, anything unreadable a
 *   SerializationException, as the KMS controller says of a body it cannot parse);
 * - graphql: `{"data":null,"errors":[{"message","extensions":{"code","reason"}}]}`, as mercurius answers;
 * - rest: `{"error":{"code","message"}}`.
 */
export function errorAnswer(api: Api, fault: HttpFault, amzTarget?: unknown): ErrorAnswer {
  if (api === 'aws') {
    const error = awsErrorOf(fault, amzTarget);
    return { status: error.status, contentType: AMZ_JSON, body: Buffer.from(JSON.stringify(errorBody(error))) };
  }
  if (api === 'graphql') {
    const code = fault.status >= 500 ? 'INTERNAL_SERVER_ERROR' : fault.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
    const body = { data: null, errors: [{ message: fault.message, extensions: { code, reason: fault.code } }] };
    return { status: fault.status, contentType: JSON_UTF8, body: Buffer.from(JSON.stringify(body)) };
  }
  const body = { error: { code: fault.code, message: fault.message } };
  return { status: fault.status, contentType: JSON_UTF8, body: Buffer.from(JSON.stringify(body)) };
}

function awsErrorOf(fault: HttpFault, amzTarget: unknown): KmsError {
  if (fault.status >= 500) {
    const cloudTrail = typeof amzTarget === 'string' && amzTarget.includes('CloudTrail_');
    // AWS's retryable server faults: KMS's own, and the common one every other service answers.
    if (fault.status === 503)
      return cloudTrail ? new KmsError('ServiceUnavailable', fault.message, 503) : dependencyTimeout();
    return new KmsError(cloudTrail ? 'InternalFailure' : 'KMSInternalException', 'An internal error occurred.', 500);
  }
  if (fault.status === 404 || fault.status === 405) return new KmsError('UnknownOperationException', undefined);
  if (fault.status === 429) return new KmsError('ThrottlingException', fault.message);
  return new KmsError('SerializationException', fault.message);
}
