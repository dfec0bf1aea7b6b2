import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that carries a console session id: HttpOnly, so no script on the page can read it. */
export const SESSION_COOKIE = 'aliastrail_console';
/** The header every state-changing console call carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** A new session id: 256 random bits, URL-safe, as the cookie carries it. */
export const newSessionId = (): string => randomBytes(32).toString('base64url');

/** What the database keeps of a session id: its SHA-256, so a leaked table signs nobody in. */
export const sessionIdDigest = (sessionId: string): Buffer => createHash('sha256').update(sessionId, 'utf8').digest();

/**
 * A session's CSRF token, derived from its id (HMAC keyed by the id), so it is stored nowhere: only
 * the holder of the HttpOnly cookie's value can compute it, and the page gets it from the server
 * (sign-in and GET /console/api/session answers, which another origin cannot read).
 */
export const csrfTokenOf = (sessionId: string): string =>
  createHmac('sha256', sessionId).update('aliastrail console csrf', 'utf8').digest('base64url');

/** Whether `given` is the session's CSRF token, compared in constant time. */
export function isCsrfTokenOf(sessionId: string, given: string | undefined): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenOf(sessionId), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The session id in a Cookie header; undefined when there is none, it cannot be one, or there are
 * two. Two cookies of that name mean another one was planted beside ours (by a sibling subdomain, or
 * with a narrower Path, which browsers send first): answering as either could sign the user into
 * someone else's session, so neither is believed and the user signs in again.
 */
export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  const values = sessionCookieValues(cookieHeader);
  if (values.length !== 1) return undefined;
  const value = values[0]!;
  // 32 bytes in base64url are 43 characters: anything else was not made here.
  return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
}

/** Every value of the session cookie in a Cookie header (more than one: see sessionIdOf). */
export function sessionCookieValues(cookieHeader: string | undefined): string[] {
  if (!cookieHeader) return [];
  return cookieHeader
    .split(';')
    .filter((part) => part.indexOf('=') > 0 && part.slice(0, part.indexOf('=')).trim() === SESSION_COOKIE)
    .map((part) => part.slice(part.indexOf('=') + 1).trim());
}

/**
 * The Set-Cookie value for a session: scoped to the console's paths, HttpOnly, SameSite=Strict (no
 * other site's page can make the browser send it), Secure over HTTPS, living no longer than the
 * session may. An empty id with max age 0 clears it.
 */
export function sessionCookie(sessionId: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${SESSION_COOKIE}=${sessionId}`,
    'Path=/',
    `Max-Age=${options.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
