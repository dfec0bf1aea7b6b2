import {
  TOKEN_LIMITS,
  expiryOf,
  isIssuedTokenShape,
  isTokenId,
  newIssuedToken,
  statusOf,
  tokenDigest,
  tokenJson,
  tokenRequestOf,
} from './issued-token';

describe('issued bearer tokens', () => {
  it('makes tokens of 256 random bits behind a recognisable prefix, kept as their SHA-256', () => {
    const tokens = new Set(Array.from({ length: 200 }, newIssuedToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^atk_[A-Za-z0-9_-]{43}$/);
      expect(isIssuedTokenShape(token)).toBe(true);
      expect(tokenDigest(token)).toHaveLength(32);
      expect(tokenDigest(token).toString('hex')).not.toContain(
        Buffer.from(token.slice(4), 'base64url').toString('hex'),
      );
    }
  });

  it('takes nothing else for an issued token, so junk costs no lookup', () => {
    const token = newIssuedToken();
    for (const other of [
      '',
      token.slice(4),
      `${token}x`,
      token.slice(0, -1),
      `ATK_${token.slice(4)}`,
      `atk_${'a'.repeat(42)}=`,
      'browser-bearer-token-7d1e4c9b22a04f31',
      tokenDigest(token).toString('hex'),
    ])
      expect(isIssuedTokenShape(other)).toBe(false);
  });

  it('takes UUIDs only for token ids', () => {
    expect(isTokenId('3f2504e0-4f89-11d3-9a0c-0305e82c3301')).toBe(true);
    expect(isTokenId('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe(true);
    for (const other of ['', '3f2504e0', "3f2504e0-4f89-11d3-9a0c-0305e82c3301'", 'x'.repeat(36)])
      expect(isTokenId(other)).toBe(false);
  });

  it('accepts a description and a lifetime in whole days, or nothing at all', () => {
    expect(tokenRequestOf(undefined)).toEqual({ request: { description: '' } });
    expect(tokenRequestOf({})).toEqual({ request: { description: '' } });
    expect(tokenRequestOf({ description: 'grafana', expiresInDays: 30 })).toEqual({
      request: { description: 'grafana', expiresInDays: 30 },
    });
    expect(tokenRequestOf({ description: 'ü 👍', expiresInDays: null })).toEqual({ request: { description: 'ü 👍' } });
    expect(tokenRequestOf({ expiresInDays: TOKEN_LIMITS.maxExpiresInDays })).toEqual({
      request: { description: '', expiresInDays: 3650 },
    });
  });

  it('refuses what it cannot take, saying what is wrong', () => {
    const problem = (input: unknown) => {
      const result = tokenRequestOf(input);
      return 'problem' in result ? result.problem : undefined;
    };
    expect(problem([])).toMatch(/JSON object/);
    expect(problem('x')).toMatch(/JSON object/);
    expect(problem({ expiresIn: 3 })).toBe('Unknown field `expiresIn`.');
    expect(problem({ description: 5 })).toMatch(/`description` must be a string/);
    expect(problem({ description: 'x'.repeat(257) })).toMatch(/at most 256/);
    expect(problem({ description: 'a\nb' })).toMatch(/control characters/);
    expect(problem({ description: 'a\u0000b' })).toMatch(/control characters/);
    expect(problem({ description: 'a\ud800b' })).toMatch(/unpaired surrogates/);
    for (const days of [0, -1, 1.5, 3651, '30', Number.NaN, Number.POSITIVE_INFINITY])
      expect(problem({ expiresInDays: days })).toMatch(/whole number of days, 1 to 3650/);
  });

  it('expires a token whole days after it was made, or never', () => {
    const createdAt = new Date('2026-03-01T12:00:00.000Z');
    expect(expiryOf(createdAt, undefined)).toBeNull();
    expect(expiryOf(createdAt, 30)).toEqual(new Date('2026-03-31T12:00:00.000Z'));
  });

  it('says whether a token works: revoked wins over expired', () => {
    const expiresAt = new Date('2026-03-02T00:00:00.000Z');
    const before = new Date('2026-03-01T23:59:59.999Z');
    expect(statusOf({ expiresAt, revokedAt: null }, before)).toBe('active');
    expect(statusOf({ expiresAt, revokedAt: null }, expiresAt)).toBe('expired');
    expect(statusOf({ expiresAt: null, revokedAt: null }, new Date('2999-01-01'))).toBe('active');
    expect(statusOf({ expiresAt, revokedAt: before }, expiresAt)).toBe('revoked');
  });

  it('shows a token with its status and times, and never a secret', () => {
    const shown = tokenJson(
      {
        tokenId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        accessKeyId: 'AKIAALIASTRAILTEST01',
        description: 'grafana',
        createdAt: new Date('2026-03-01T12:00:00.000Z'),
        createdBy: 'cli:alice',
        expiresAt: null,
        revokedAt: null,
        revokedBy: null,
      },
      new Date('2026-03-02T00:00:00.000Z'),
    );
    expect(shown).toEqual({
      tokenId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      accessKeyId: 'AKIAALIASTRAILTEST01',
      description: 'grafana',
      status: 'active',
      createdAt: '2026-03-01T12:00:00.000Z',
      createdBy: 'cli:alice',
      expiresAt: null,
      revokedAt: null,
      revokedBy: null,
    });
  });
});
