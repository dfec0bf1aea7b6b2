import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * HMAC (RFC 2104) with an HMAC key's secret material (docs/kms-behaviour.md#cryptographic-operations):
 * the raw tag, 28, 32, 48 or 64 bytes; deterministic, so VerifyMac recomputes it and compares in
 * constant time.
 */

const hashOf = (algorithm: string) => `sha${algorithm.slice('HMAC_SHA_'.length)}`;

export const macOf = (material: Buffer, algorithm: string, message: Buffer): Buffer =>
  createHmac(hashOf(algorithm), material).update(message).digest();

export function macMatches(material: Buffer, algorithm: string, message: Buffer, mac: Buffer): boolean {
  const expected = macOf(material, algorithm, message);
  return expected.length === mac.length && timingSafeEqual(expected, mac);
}
