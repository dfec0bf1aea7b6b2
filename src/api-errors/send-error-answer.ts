import type { FastifyReply } from 'fastify';
import { AMZ_JSON } from '../aws-json/aws-json-error';
import type { ErrorAnswer } from './error-answer';

/** Sends an error answer; AWS ones carry x-amzn-RequestId, as every KMS answer does. */
export function sendErrorAnswer(reply: FastifyReply, answer: ErrorAnswer, requestId: string): void {
  if (reply.sent) return;
  if (answer.contentType === AMZ_JSON) reply.header('x-amzn-RequestId', requestId);
  // A Buffer, so that Fastify adds no "; charset=utf-8" to the AWS content type.
  reply.status(answer.status).header('content-type', answer.contentType).send(answer.body);
}
