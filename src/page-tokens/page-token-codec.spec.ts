import { inspect } from 'node:util';
import { generateKeyPairSync } from 'node:crypto';
import { InvalidPageToken, openPageToken, sealPageToken } from './page-token-codec';
import { pageTokenKeyOf } from './page-token-key';

const DAY = 24 * 60 * 60 * 1000;
const ledgerKey = () => generateKeyPairSync('ed25519').privateKey;
const key = pageTokenKeyOf(ledgerKey());
const use = {
  listing: 'rest:audit-events',
  binding: { scope: { accountId: '1', region: 'us-west-2' }, search: { a: 1 } },
};
const issuedAt = new Date('2026-03-01T12:00:00Z');
const payload = Buffer.from('alias/next-page', 'utf8');
const token = sealPageToken(key, use, payload, issuedAt);

/** The fault a token is refused for, or 'ok'. */
function faultOf(open: () => unknown): string {
  try {
    open();
    return 'ok';
  } catch (error) {
    if (error instanceof InvalidPageToken) return error.fault;
    throw error;
  }
}
const open = (t: string, options: { at?: Date; on?: typeof use; key?: typeof key } = {}) =>
  faultOf(() => openPageToken(options.key ?? key, options.on ?? use, t, options.at ?? issuedAt, DAY));

describe('page tokens', () => {
  it('give back their payload, for the same use, within their lifetime', () => {
    expect(openPageToken(key, use, token, new Date(issuedAt.getTime() + DAY - 1000), DAY)).toEqual(payload);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    // version, issue time, payload, a 128-bit MAC: short enough for a query string.
    expect(Buffer.from(token, 'base64url')).toHaveLength(1 + 4 + payload.length + 16);
  });

  it('refuse a token with any byte changed, and any character', () => {
    const bytes = Buffer.from(token, 'base64url');
    for (let i = 0; i < bytes.length; i++)
      for (const flip of [0x01, 0x80, 0xff]) {
        const tampered = Buffer.from(bytes);
        tampered[i]! ^= flip;
        expect([i, flip, open(tampered.toString('base64url'))]).toEqual([i, flip, 'forged']);
      }
    for (let i = 0; i < token.length; i++) {
      const other = token[i] === 'A' ? 'B' : 'A';
      expect(open(token.slice(0, i) + other + token.slice(i + 1))).not.toBe('ok');
    }
  });

  it('refuse truncated, extended, empty, over-long and non-base64url tokens', () => {
    for (const bad of [
      token.slice(0, -1),
      `${token}A`,
      token.slice(0, 10),
      '',
      'x'.repeat(5000),
      `${token}=`,
      "' OR 1=1--",
      'eyJhIjoxfQ',
    ])
      expect([bad.slice(0, 20), open(bad)]).toEqual([bad.slice(0, 20), expect.stringMatching(/malformed|forged/)]);
    // Tokens of the format before this one (base64url JSON) are refused, not read.
    expect(open(Buffer.from(JSON.stringify({ after: 'alias/old-format-marker' })).toString('base64url'))).toBe(
      'forged',
    );
  });

  it('refuse a token sealed with another key, or for another listing or search', () => {
    expect(open(token, { key: pageTokenKeyOf(ledgerKey()) })).toBe('forged');
    expect(open(token, { on: { ...use, listing: 'graphql:auditEvents' } })).toBe('forged');
    expect(open(token, { on: { ...use, binding: { ...use.binding, search: { a: 2 } } } })).toBe('forged');
    expect(
      open(token, { on: { ...use, binding: { ...use.binding, scope: { accountId: '2', region: 'us-west-2' } } } }),
    ).toBe('forged');
  });

  it('expire after their lifetime, and are not taken from the future', () => {
    expect(open(token, { at: new Date(issuedAt.getTime() + DAY + 1000) })).toBe('expired');
    expect(open(token, { at: new Date(issuedAt.getTime() - 60_000) })).toBe('ok'); // clock skew between instances
    expect(open(token, { at: new Date(issuedAt.getTime() - 60 * 60_000) })).toBe('expired');
    // An expired token says so only when its MAC holds: a forged one is just forged.
    const forged = Buffer.from(token, 'base64url');
    forged[forged.length - 1]! ^= 1;
    expect(open(forged.toString('base64url'), { at: new Date(issuedAt.getTime() + 2 * DAY) })).toBe('forged');
  });

  it('derive one key from one ledger key, and never show it', () => {
    const ledger = ledgerKey();
    const [a, b] = [pageTokenKeyOf(ledger), pageTokenKeyOf(ledger)];
    expect(a.equals(b)).toBe(true);
    expect(a.equals(pageTokenKeyOf(ledgerKey()))).toBe(false);
    const secret = a.export().toString('hex');
    expect(JSON.stringify({ a })).not.toContain(secret);
    expect(String(a)).not.toContain(secret);
    expect(inspect(a)).not.toContain(secret);
  });
});
