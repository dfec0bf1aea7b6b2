import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import type { Principal } from '../auth/principal';
import { PrincipalRegistry } from '../auth/principal.registry';
import { ConsoleSessionStore, type SessionLifetime } from './console-session-store';
import { newSessionId, sessionIdDigest, sessionIdOf } from './session-tokens';
import { SignInLimits } from './sign-in-limits';

/** Issue 15: a session ends after an hour unused, and after twelve hours whatever happens. */
export const SESSION_LIFETIME: SessionLifetime = { idleSeconds: 60 * 60, absoluteSeconds: 12 * 60 * 60 };

/** What a sign-in offers: an access key and its secret, or a bearer token. */
export type SignInCredentials =
  { readonly accessKeyId: string; readonly secretAccessKey: string } | { readonly bearerToken: string };

/** A signed-in console user: the principal it acts as, and its session. */
export interface ConsoleCaller {
  readonly principal: Principal;
  readonly sessionId: string;
  readonly createdAt: Date;
}

/** Why a sign-in failed, as the audit trail's ConsoleLogin failure and the answer say it. */
export const FAILED_AUTHENTICATION = 'Failed authentication';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();
/** Equal in constant time, whatever the lengths (both sides are hashed first). */
const sameSecret = (a: string, b: string) => timingSafeEqual(sha256(a), sha256(b));

/**
 * Console sign-in and sessions (README.md#console): credentials of a configured principal are exchanged
 * for a server-side session whose id only the browser's HttpOnly cookie holds. Every request looks
 * the principal up again by access key id, so its current policies apply.
 */
@Injectable()
export class ConsoleSessions {
  private readonly limits = new SignInLimits();

  constructor(
    private readonly store: ConsoleSessionStore,
    private readonly principals: PrincipalRegistry,
  ) {}

  /**
   * The principal the credentials authenticate, after the sign-in limits; throws 429 when the
   * limits refuse, 401 when the credentials are wrong (`attempted` then says which principal was
   * tried, if any, for the audit trail).
   */
  authenticate(
    credentials: SignInCredentials,
    sourceIp: string,
    nowMs: number,
  ): { principal?: Principal; attempted?: Principal } {
    const attempted =
      'bearerToken' in credentials
        ? this.principals.findByBearerToken(credentials.bearerToken)
        : credentials.accessKeyId.startsWith('Bearer ')
          ? undefined
          : this.principals.find(credentials.accessKeyId);
    if (!this.limits.allows(sourceIp, attempted?.accessKeyId, nowMs))
      throw restError(429, 'ThrottlingException', 'Too many sign-in attempts. Wait a minute, then try again.');
    if (!attempted) return {};
    if ('bearerToken' in credentials || attempted.signatureUnchecked) return { principal: attempted, attempted };
    return sameSecret(credentials.secretAccessKey, attempted.secretAccessKey)
      ? { principal: attempted, attempted }
      : { attempted };
  }

  /** A new session for `principal`; its id goes to the browser only, in the cookie. */
  async open(principal: Principal, sourceIp: string): Promise<ConsoleCaller> {
    await this.store.deleteExpired(SESSION_LIFETIME);
    const sessionId = newSessionId();
    const { createdAt } = await this.store.create(sessionIdDigest(sessionId), principal.accessKeyId, sourceIp);
    return { principal, sessionId, createdAt };
  }

  /** The caller of a request that carries a live session's cookie; undefined otherwise. */
  async callerOf(req: FastifyRequest): Promise<ConsoleCaller | undefined> {
    const sessionId = sessionIdOf(req.headers.cookie);
    if (sessionId === undefined) return undefined;
    const stored = await this.store.touch(sessionIdDigest(sessionId), SESSION_LIFETIME);
    const principal = stored && this.principals.find(stored.accessKeyId);
    return principal && { principal, sessionId, createdAt: stored.createdAt };
  }

  /** Ends the session for every tab and window that uses it. */
  async close(sessionId: string): Promise<void> {
    await this.store.delete(sessionIdDigest(sessionId));
  }
}
