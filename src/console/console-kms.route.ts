import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KmsController } from '../kms-api/kms.controller';
import type { ConsoleSessions } from '../console-sessions/console-sessions';
import { CSRF_HEADER, isCsrfTokenOf } from '../console-sessions/session-tokens';

/** The header a console KMS call names its Region in (the Region selector's choice). */
export const REGION_HEADER = 'x-aliastrail-region';
/** A Region's name: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, ap-southeast-7. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

function refuse(reply: FastifyReply, status: number, code: string, message: string): void {
  void reply
    .status(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ error: { code, message } });
}

/**
 * POST /console/api/kms: a KMS operation (X-Amz-Target, AWS JSON body) called by the console as the
 * session's principal. Every one carries the session's CSRF token, reads included: a page of another
 * site cannot read the answers, but it must not be able to make the calls either. What follows is
 * the KMS API's own path (KmsController.handleConsole): the same checks, answers and record.
 */
export function consoleKmsRoute(sessions: ConsoleSessions, kms: KmsController) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const caller = await sessions.callerOf(req);
    if (!caller)
      return refuse(reply, 401, 'SessionRequired', 'Sign in to the console: there is no session, or it expired.');
    const token = req.headers[CSRF_HEADER];
    if (!isCsrfTokenOf(caller.sessionId, typeof token === 'string' ? token : undefined))
      return refuse(
        reply,
        403,
        'InvalidCsrfToken',
        `A console call must carry the session's CSRF token in ${CSRF_HEADER}.`,
      );
    const region = req.headers[REGION_HEADER];
    if (typeof region !== 'string' || !REGION.test(region))
      return refuse(reply, 400, 'InvalidRegion', `Name the Region in ${REGION_HEADER}, e.g. us-east-1.`);
    return kms.handleConsole(req, reply, {
      principal: caller.principal,
      region,
      sessionCreatedAt: caller.createdAt,
    });
  };
}
