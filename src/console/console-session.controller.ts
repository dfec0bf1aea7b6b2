import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import {
  type ConsoleCaller,
  ConsoleSessions,
  FAILED_AUTHENTICATION,
  SESSION_LIFETIME,
  type SignInCredentials,
} from '../console-sessions/console-sessions';
import { ConsoleLoginRecorder } from './console-login-recorder';
import {
  CSRF_HEADER,
  SESSION_COOKIE,
  csrfTokenOf,
  isCsrfTokenOf,
  sessionCookie,
  sessionCookieValues,
  sessionIdOf,
} from '../console-sessions/session-tokens';

/** What the console page learns of its session: who it acts as, and the token its changes carry. */
function sessionAnswer(caller: ConsoleCaller) {
  const { principal } = caller;
  return {
    principal: { arn: principal.arn, accountId: principal.accountId, userName: principal.userName },
    csrfToken: csrfTokenOf(caller.sessionId),
    createdAt: caller.createdAt.toISOString(),
    idleSeconds: SESSION_LIFETIME.idleSeconds,
    absoluteSeconds: SESSION_LIFETIME.absoluteSeconds,
  };
}

/** The body of a sign-in: an access key id and secret access key, or a bearer token, and nothing else. */
function credentialsOf(body: unknown): SignInCredentials {
  const fields =
    body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const text = (name: string) =>
    typeof fields[name] === 'string' && fields[name] !== '' ? (fields[name] as string) : undefined;
  const keys = Object.keys(fields).sort().join(',');
  const accessKeyId = text('accessKeyId');
  const secretAccessKey = text('secretAccessKey');
  const bearerToken = text('bearerToken');
  if (keys === 'accessKeyId,secretAccessKey' && accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  if (keys === 'bearerToken' && bearerToken) return { bearerToken };
  throw restError(
    400,
    'ValidationError',
    'Sign in with {"accessKeyId", "secretAccessKey"} or with {"bearerToken"}, as non-empty strings.',
  );
}

/**
 * Console sign-in, sign-out and the session (README.md#console, issue 15). The answers never carry the
 * session id: it travels in the HttpOnly cookie only.
 */
@Controller('console/api')
export class ConsoleSessionController {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly logins: ConsoleLoginRecorder,
  ) {}

  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @Body() body: unknown) {
    refuseCrossSite(req);
    // A cookie planted beside ours (sessionIdOf) cannot be cleared from here (its Domain or Path is
    // not ours): no session would ever be believed, so the page says what to do instead of looping.
    if (sessionCookieValues(req.headers.cookie).length > 1)
      throw restError(
        400,
        'DuplicateSessionCookie',
        `Your browser sent ${SESSION_COOKIE} more than once (another site of this domain set one): clear this site's cookies, then sign in again.`,
      );
    const credentials = credentialsOf(body);
    const { principal, attempted } = this.sessions.authenticate(credentials, req.ip, Date.now());
    // Recorded without waiting: a failure on a known key must answer as fast as one on an unknown
    // key, or the time taken would say which keys exist.
    if (!principal && attempted) void this.logins.failure(req, attempted);
    if (!principal)
      throw restError(
        401,
        'AuthenticationFailed',
        `${FAILED_AUTHENTICATION}: the access key, secret or token is not valid.`,
      );
    await this.logins.success(req, principal);
    // A sign-in over a session ends that one: a browser holds one session, not a trail of them.
    const previous = sessionIdOf(req.headers.cookie);
    if (previous !== undefined) await this.sessions.close(previous);
    const caller = await this.sessions.open(principal, req.ip);
    reply.header(
      'set-cookie',
      sessionCookie(caller.sessionId, {
        secure: req.protocol === 'https',
        maxAgeSeconds: SESSION_LIFETIME.absoluteSeconds,
      }),
    );
    return sessionAnswer(caller);
  }

  @Get('session')
  async session(@Req() req: FastifyRequest) {
    const caller = await this.sessions.callerOf(req);
    if (!caller) throw restError(401, 'SessionRequired', 'Sign in to the console: there is no session, or it expired.');
    return sessionAnswer(caller);
  }

  /** Ends the session everywhere it is used (every tab, every instance); the cookie goes too. */
  @Post('sign-out')
  @HttpCode(204)
  async signOut(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const sessionId = sessionIdOf(req.headers.cookie);
    if (sessionId !== undefined) {
      if (!isCsrfTokenOf(sessionId, headerOf(req, CSRF_HEADER))) throw csrfRefused();
      await this.sessions.close(sessionId);
    }
    reply.header('set-cookie', sessionCookie('', { secure: req.protocol === 'https', maxAgeSeconds: 0 }));
  }
}

/**
 * Sign-in takes JSON from the console's own pages only. An HTML form on another site could post
 * credentials of the attacker's (form bodies are parsed too), and the browser would keep the
 * answer's cookie (a top-level navigation): the victim would then work in the attacker's account.
 * A JSON body cannot come from another site without a CORS preflight, which is never granted, and
 * browsers say where a request came from in Sec-Fetch-Site.
 */
function refuseCrossSite(req: FastifyRequest): void {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\s*(;|$)/i.test(type))
    throw restError(415, 'UnsupportedMediaType', 'Sign in with a JSON body (content-type: application/json).');
  const site = headerOf(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    throw restError(403, 'CrossSiteRequest', 'Sign in from the console itself, not from another site.');
}

export const headerOf = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

export const csrfRefused = () =>
  restError(403, 'InvalidCsrfToken', `A console change must carry the session's CSRF token in ${CSRF_HEADER}.`);
