import { randomBytes } from 'node:crypto';
import { grantTokenKeyOf, openGrantToken, sealGrantToken } from './grant-token';

const key = grantTokenKeyOf(randomBytes(32));
const grantId = 'ab'.repeat(32);

describe('grant tokens', () => {
  it('name their grant, are new at every issue, and are 112 base64url bytes', () => {
    const first = sealGrantToken(key, grantId);
    const second = sealGrantToken(key, grantId);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(Buffer.from(first, 'base64url')).toHaveLength(112);
    expect(openGrantToken(key, first)).toBe(grantId);
    expect(openGrantToken(key, second)).toBe(grantId);
  });

  it('are refused with any byte changed, under another root key, or malformed', () => {
    const token = sealGrantToken(key, grantId);
    const bytes = Buffer.from(token, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes);
      tampered[i]! ^= 0x01;
      expect([i, openGrantToken(key, tampered.toString('base64url'))]).toEqual([i, undefined]);
    }
    expect(openGrantToken(grantTokenKeyOf(randomBytes(32)), token)).toBeUndefined();
    for (const bad of [
      '',
      'x',
      token.slice(0, -1),
      `${token}A`,
      `${token}=`,
      // A character outside base64url's alphabet (a token need not hold a '-' or '_' to replace).
      `${token.slice(0, 10)}+${token.slice(11)}`,
      'a'.repeat(8192),
    ])
      expect(openGrantToken(key, bad)).toBeUndefined();
  });

  it('take only grant ids of 64 lowercase hex digits', () => {
    expect(() => sealGrantToken(key, 'AB'.repeat(32))).toThrow(RangeError);
    expect(() => sealGrantToken(key, 'ab')).toThrow(RangeError);
  });
});
