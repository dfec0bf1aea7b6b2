import {
  csrfTokenOf,
  isCsrfTokenOf,
  newSessionId,
  sessionCookie,
  sessionIdDigest,
  sessionIdOf,
} from './session-tokens';

describe('console session tokens', () => {
  it('makes ids of 256 random bits that only the cookie carries, kept as their SHA-256', () => {
    const ids = new Set(Array.from({ length: 100 }, newSessionId));
    expect(ids.size).toBe(100);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(sessionIdDigest(id)).toHaveLength(32);
      expect(sessionIdDigest(id).toString('hex')).not.toContain(Buffer.from(id).toString('hex'));
    }
  });

  it('finds the session id among the cookies, and nothing that could not be one', () => {
    const id = newSessionId();
    expect(sessionIdOf(`a=1; aliastrail_console=${id}; b=2`)).toBe(id);
    expect(sessionIdOf(`aliastrail_console=${id}`)).toBe(id);
    expect(sessionIdOf(undefined)).toBeUndefined();
    expect(sessionIdOf('aliastrail_console=')).toBeUndefined();
    expect(sessionIdOf(`aliastrail_console=${id}x`)).toBeUndefined();
    expect(sessionIdOf(`xaliastrail_console=${id}`)).toBeUndefined();
    // A second cookie of the name, planted beside the real one: neither is believed.
    expect(sessionIdOf(`aliastrail_console=${id}; aliastrail_console=${newSessionId()}`)).toBeUndefined();
    expect(sessionIdOf(`aliastrail_console=${id}; aliastrail_console=${id}`)).toBeUndefined();
    expect(sessionIdOf(`aliastrail_console=${id.slice(1)}'`)).toBeUndefined();
  });

  it("accepts a session's own CSRF token only", () => {
    const id = newSessionId();
    const token = csrfTokenOf(id);
    expect(isCsrfTokenOf(id, token)).toBe(true);
    expect(isCsrfTokenOf(newSessionId(), token)).toBe(false);
    expect(isCsrfTokenOf(id, undefined)).toBe(false);
    expect(isCsrfTokenOf(id, '')).toBe(false);
    expect(isCsrfTokenOf(id, `${token}=`)).toBe(false);
    expect(token).not.toContain(id);
  });

  it('sets the cookie HttpOnly and SameSite=Strict, Secure over HTTPS', () => {
    expect(sessionCookie('abc', { secure: false, maxAgeSeconds: 60 })).toBe(
      'aliastrail_console=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict',
    );
    expect(sessionCookie('abc', { secure: true, maxAgeSeconds: 60 })).toMatch(/; Secure$/);
  });
});
