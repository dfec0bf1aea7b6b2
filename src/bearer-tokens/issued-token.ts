import { createHash, randomBytes } from 'node:crypto';

/*
 * Issued bearer tokens (issue 17), as values: their format, what is stored of them, what a request
 * for one may ask, and when one is usable. No I/O here.
 */

/**
 * What every issued token starts with: it tells an issued token from a principals-file token before
 * any lookup, and lets secret scanners recognise a leaked one.
 */
export const ISSUED_TOKEN_PREFIX = 'atk_';
/** 32 random bytes in base64url are 43 characters. */
const ISSUED_TOKEN = /^atk_[A-Za-z0-9_-]{43}$/;
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** C0 and C1 controls and DEL: a description is shown in terminals and tables. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Halves of a surrogate pair standing alone: jsonb and PostgreSQL text refuse them. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const TOKEN_LIMITS = {
  /** Characters of a token's description. */
  maxDescription: 256,
  /** Ten years: a longer-lived credential is better not made at all. */
  maxExpiresInDays: 3650,
} as const;

/** A new token: 256 random bits, so its unsalted SHA-256 leaves nothing to guess. Shown once, stored nowhere. */
export const newIssuedToken = (): string => `${ISSUED_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

/** Whether `token` can be an issued token; anything else is refused without a database lookup. */
export const isIssuedTokenShape = (token: string): boolean => ISSUED_TOKEN.test(token);

/** What the table keeps of a token, and looks it up by. */
export const tokenDigest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Whether `text` can be a token id (a UUID), so that a malformed one is "not found", not a database error. */
export const isTokenId = (text: string): boolean => TOKEN_ID.test(text);

/** What a request for a token may ask: a description, and a lifetime in whole days (none: until revoked). */
export interface TokenRequest {
  readonly description: string;
  readonly expiresInDays?: number;
}

/**
 * The request in `input` (an admin call's JSON body, or the CLI's options), or what is wrong with
 * it, said for the user. Unknown fields are refused: a misspelt `expiresInDays` must not quietly
 * make a token that never expires.
 */
export function tokenRequestOf(input: unknown): { request: TokenRequest } | { problem: string } {
  if (input === undefined || input === null) return { request: { description: '' } };
  if (typeof input !== 'object' || Array.isArray(input))
    return { problem: 'The body must be a JSON object: {"description"?: string, "expiresInDays"?: integer}.' };
  const { description = '', expiresInDays, ...unknown } = input as Record<string, unknown>;
  const extra = Object.keys(unknown);
  if (extra.length > 0) return { problem: `Unknown field ${extra.map((name) => `\`${name}\``).join(', ')}.` };
  if (typeof description !== 'string') return { problem: '`description` must be a string.' };
  if (description.length > TOKEN_LIMITS.maxDescription)
    return { problem: `\`description\` must be at most ${TOKEN_LIMITS.maxDescription} characters.` };
  if (CONTROL.test(description) || LONE_SURROGATE.test(description))
    return { problem: '`description` must not contain control characters or unpaired surrogates.' };
  if (expiresInDays === undefined || expiresInDays === null) return { request: { description } };
  if (
    typeof expiresInDays !== 'number' ||
    !Number.isInteger(expiresInDays) ||
    expiresInDays < 1 ||
    expiresInDays > TOKEN_LIMITS.maxExpiresInDays
  )
    return { problem: `\`expiresInDays\` must be a whole number of days, 1 to ${TOKEN_LIMITS.maxExpiresInDays}.` };
  return { request: { description, expiresInDays } };
}

/** When a token made at `createdAt` stops working; null when it lives until revoked. */
export const expiryOf = (createdAt: Date, expiresInDays: number | undefined): Date | null =>
  expiresInDays === undefined ? null : new Date(createdAt.getTime() + expiresInDays * 86_400_000);

/** An issued token as the table keeps it (never the token itself). */
export interface TokenRecord {
  readonly tokenId: string;
  readonly accessKeyId: string;
  readonly description: string;
  readonly createdAt: Date;
  readonly createdBy: string;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly revokedBy: string | null;
}

export type TokenStatus = 'active' | 'expired' | 'revoked';

/** Whether a token works at `now`: revoked wins over expired, as it was a decision someone made. */
export function statusOf(token: Pick<TokenRecord, 'expiresAt' | 'revokedAt'>, now: Date): TokenStatus {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** A token as the admin API and the CLI show it: everything but the token, with its status at `now`. */
export function tokenJson(token: TokenRecord, now: Date) {
  return {
    tokenId: token.tokenId,
    accessKeyId: token.accessKeyId,
    description: token.description,
    status: statusOf(token, now),
    createdAt: token.createdAt.toISOString(),
    createdBy: token.createdBy,
    expiresAt: token.expiresAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    revokedBy: token.revokedBy,
  };
}
