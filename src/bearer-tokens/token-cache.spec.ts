import { TokenCache } from './token-cache';

const LIMITS = { usableTtlMs: 5_000, unusableTtlMs: 1_000, maxUsable: 3, maxUnusable: 2 };
const token = (n: number) => ({ tokenId: `id-${n}`, accessKeyId: 'AKIAALIASTRAILTEST01', expiresAt: null });

describe('TokenCache', () => {
  it('believes a usable token for its time to live, and an unusable one for a shorter time', () => {
    const cache = new TokenCache(LIMITS);
    cache.remember('a', token(1), 0);
    cache.remember('b', null, 0);
    expect(cache.get('a', 4_999)).toEqual(token(1));
    expect(cache.get('b', 999)).toBeNull();
    expect(cache.get('b', 1_000)).toBeUndefined();
    expect(cache.get('a', 5_000)).toBeUndefined();
    expect(cache.get('c', 0)).toBeUndefined();
    expect(cache.size).toEqual({ usable: 0, unusable: 0 });
  });

  it('keeps the newest word on a token: a usable token found unusable is no longer usable', () => {
    const cache = new TokenCache(LIMITS);
    cache.remember('a', token(1), 0);
    cache.remember('a', null, 10);
    expect(cache.get('a', 20)).toBeNull();
    cache.remember('a', token(1), 30);
    expect(cache.get('a', 40)).toEqual(token(1));
  });

  it('forgets a revoked token at once, by its id', () => {
    const cache = new TokenCache(LIMITS);
    cache.remember('a', token(1), 0);
    cache.remember('b', token(2), 0);
    cache.forget('ID-1');
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)).toEqual(token(2));
  });

  it('holds a bounded number of each kind, dropping the oldest, so made-up tokens cannot evict usable ones', () => {
    const cache = new TokenCache(LIMITS);
    for (let n = 0; n < 5; n++) cache.remember(`u${n}`, token(n), n);
    for (let n = 0; n < 50; n++) cache.remember(`junk${n}`, null, n);
    expect(cache.size).toEqual({ usable: 3, unusable: 2 });
    expect(cache.get('u0', 60)).toBeUndefined();
    expect(cache.get('u1', 60)).toBeUndefined();
    expect(cache.get('u4', 60)).toEqual(token(4));
    expect(cache.get('junk49', 60)).toBeNull();
  });
});
