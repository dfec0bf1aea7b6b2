import { type KeyObject, createHmac, createSecretKey, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * A grant token (docs/kms-behaviour.md#grants): base64url of 112 bytes,
 *   version (1) ‖ grant id (32, the 64 hex digits as bytes) ‖ random (47) ‖ HMAC-SHA256 of the rest (32).
 * The MAC makes a token verifiable by any instance without a database read (every operation that
 * takes GrantTokens checks them), and the random part makes each CreateGrant's token new, even when
 * Name idempotency answers with an existing grant. Tokens are never stored: only this key can
 * tell ours from others.
 */
const VERSION = 1;
const GRANT_ID_BYTES = 32;
const RANDOM_BYTES = 47;
const MAC_BYTES = 32;
const TOKEN_BYTES = 1 + GRANT_ID_BYTES + RANDOM_BYTES + MAC_BYTES;
const GRANT_ID = /^[0-9a-f]{64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const INFO = 'aliastrail grant tokens';

/**
 * The token MAC key, derived (HKDF-SHA256) from the root key: every instance holds that file already
 * (it unwraps the key material), it never enters the database, and the root key itself still wraps
 * nothing but material. A KeyObject, which prints without its bytes.
 */
export function grantTokenKeyOf(rootKey: Buffer): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', rootKey, Buffer.alloc(0), INFO, 32)));
}

/** A new token for the grant `grantId` (64 lowercase hex). */
export function sealGrantToken(key: KeyObject, grantId: string): string {
  if (!GRANT_ID.test(grantId)) throw new RangeError('a grant id is 64 lowercase hex digits');
  const body = Buffer.concat([Buffer.of(VERSION), Buffer.from(grantId, 'hex'), randomBytes(RANDOM_BYTES)]);
  return Buffer.concat([body, macOf(key, body)]).toString('base64url');
}

/** The grant id a token of ours names; undefined for anything else (altered, forged, malformed). */
export function openGrantToken(key: KeyObject, token: string): string | undefined {
  if (!BASE64URL.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // Canonical only: one token has one spelling.
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token || bytes[0] !== VERSION) return undefined;
  const body = bytes.subarray(0, TOKEN_BYTES - MAC_BYTES);
  if (!timingSafeEqual(macOf(key, body), bytes.subarray(TOKEN_BYTES - MAC_BYTES))) return undefined;
  return body.subarray(1, 1 + GRANT_ID_BYTES).toString('hex');
}

function macOf(key: KeyObject, body: Buffer): Buffer {
  return createHmac('sha256', key).update(body).digest();
}
