import { type KeyObject, createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The only layout issued so far; a new one gets a new number, and old tokens simply expire. */
const VERSION = 1;
/** HMAC-SHA256 cut to 128 bits (RFC 2104 §5 allows half): forging one is still a 2^-128 guess. */
const MAC_BYTES = 16;
const HEADER_BYTES = 1 + 4;
/** Tokens travel as query parameters: a bound on what is even decoded. */
export const MAX_TOKEN_CHARS = 2048;
/** Instances' clocks differ a little: a token may come back stamped slightly in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Why a token was refused. Only `expired` is told apart, and only for a token whose MAC holds. */
export type PageTokenFault = 'malformed' | 'forged' | 'expired';

/** A page token that this service did not issue, issued for another listing, or too old. */
export class InvalidPageToken extends Error {
  override readonly name = 'InvalidPageToken';
  constructor(readonly fault: PageTokenFault) {
    super(
      fault === 'expired'
        ? 'The page token has expired; start the listing again.'
        : 'The page token was not issued by this service for this request.',
    );
  }
}

/**
 * What a token is for: a listing (`kms:ListAliases`, `rest:audit-events`, …) and the parameters it
 * must come back with (scope, filters). Neither is in the token; both are in its MAC, so a token
 * brought to another listing, account or search does not verify.
 */
export interface PageTokenUse {
  readonly listing: string;
  readonly binding: unknown;
}

/**
 * Seals `payload` (where the next page starts) into a URL-safe token:
 * base64url(version ‖ issued-at seconds ‖ payload ‖ HMAC-SHA256(key, use digest ‖ those bytes)[0..16]).
 *
 * @example sealPageToken(key, { listing: 'kms:ListKeys', binding: scope }, Buffer.from(keyId), new Date())
 */
export function sealPageToken(key: KeyObject, use: PageTokenUse, payload: Uint8Array, issuedAt: Date): string {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(VERSION, 0);
  header.writeUInt32BE(Math.floor(issuedAt.getTime() / 1000), 1);
  const body = Buffer.concat([header, payload]);
  return Buffer.concat([body, macOf(key, use, body)]).toString('base64url');
}

/**
 * The payload of a token sealed with `key` for the same use, issued at most `lifetimeMs` before
 * `now`; throws InvalidPageToken otherwise. The MAC is checked before anything the token says is
 * believed, its issue time included, and compared in constant time.
 */
export function openPageToken(key: KeyObject, use: PageTokenUse, token: string, now: Date, lifetimeMs: number): Buffer {
  if (token.length === 0 || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token))
    throw new InvalidPageToken('malformed');
  const bytes = Buffer.from(token, 'base64url');
  // One spelling per token: base64url's unused trailing bits would otherwise let one token have two.
  if (bytes.length < HEADER_BYTES + MAC_BYTES || bytes.toString('base64url') !== token)
    throw new InvalidPageToken('malformed');
  const body = bytes.subarray(0, bytes.length - MAC_BYTES);
  const mac = bytes.subarray(bytes.length - MAC_BYTES);
  if (body.readUInt8(0) !== VERSION || !timingSafeEqual(mac, macOf(key, use, body)))
    throw new InvalidPageToken('forged');
  const issuedAtMs = body.readUInt32BE(1) * 1000;
  if (issuedAtMs > now.getTime() + CLOCK_SKEW_MS || now.getTime() - issuedAtMs > lifetimeMs)
    throw new InvalidPageToken('expired');
  return Buffer.from(body.subarray(HEADER_BYTES));
}

function macOf(key: KeyObject, use: PageTokenUse, body: Buffer): Buffer {
  // A fixed-length digest of the use first, so that no listing's bytes can run into the body's.
  const useDigest = createHash('sha256')
    .update(use.listing)
    .update('\0')
    .update(JSON.stringify(use.binding) ?? '')
    .digest();
  return createHmac('sha256', key).update(useDigest).update(body).digest().subarray(0, MAC_BYTES);
}
