import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import type { Principal } from '../auth/principal';
import { PrincipalRegistry } from '../auth/principal.registry';
import { IssuedTokenLookup } from '../bearer-tokens/issued-token-lookup';
import { ConsoleSessions } from '../console-sessions/console-sessions';
import { CSRF_HEADER, isCsrfTokenOf, sessionIdOf } from '../console-sessions/session-tokens';
import { RequestThrottle } from '../throttle/request-throttle';
import { queryCaller } from './query-caller';
import { signedRequest } from './signed-request';

/**
 * Who is calling the REST, GraphQL and admin APIs: authenticated by queryCaller, or by a console
 * session's cookie when the request carries no Authorization header (401 otherwise), and within
 * the principal's rate limit for them (429 ThrottlingException otherwise, when
 * ALIASTRAIL_RATE_LIMIT is set). Every route of those APIs starts here, so none can skip either.
 *
 * @example const caller = await this.callers.of(req);
 */
@Injectable()
export class QueryCallers {
  constructor(
    private readonly principals: PrincipalRegistry,
    private readonly throttle: RequestThrottle,
    private readonly sessions: ConsoleSessions,
    private readonly issuedTokens: IssuedTokenLookup,
  ) {}

  async of(req: FastifyRequest): Promise<Principal> {
    const caller =
      req.headers.authorization === undefined && sessionIdOf(req.headers.cookie) !== undefined
        ? await this.consoleCaller(req)
        : await queryCaller(
            // The bytes that were signed, on every route: a JSON body is parsed before any handler runs.
            signedRequest(req),
            (id) => this.principals.find(id),
            (token) => this.issuedTokens.principalOf(token),
          );
    if (!this.throttle.allows(caller, 'query')) throw restError(429, 'ThrottlingException', 'Rate exceeded');
    return caller;
  }

  /**
   * The principal of the console session whose cookie the request carries. Anything but a GET must
   * also carry the session's CSRF token: a browser sends the cookie with any same-site request.
   */
  private async consoleCaller(req: FastifyRequest): Promise<Principal> {
    const caller = await this.sessions.callerOf(req);
    if (!caller) throw restError(401, 'SessionRequired', 'Sign in to the console: there is no session, or it expired.');
    const safe = req.method === 'GET' || req.method === 'HEAD';
    const token = req.headers[CSRF_HEADER];
    if (!safe && !isCsrfTokenOf(caller.sessionId, typeof token === 'string' ? token : undefined))
      throw restError(
        403,
        'InvalidCsrfToken',
        `A console request must carry the session's CSRF token in ${CSRF_HEADER}.`,
      );
    return caller.principal;
  }
}
