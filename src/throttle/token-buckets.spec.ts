import fc from 'fast-check';
import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('lets a burst through, then the rate, per key', () => {
    const buckets = new TokenBuckets({ ratePerSecond: 2, burst: 3 });
    expect([1, 2, 3, 4].map(() => buckets.take('a', 0))).toEqual([true, true, true, false]);
    expect(buckets.take('b', 0)).toBe(true); // another principal has its own bucket
    expect(buckets.take('a', 400)).toBe(false); // 0.8 token
    expect(buckets.take('a', 500)).toBe(true); // 1 token after 500 ms at 2/s
    expect(buckets.take('a', 500)).toBe(false);
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const buckets = new TokenBuckets({ ratePerSecond: 0.001, burst: 1 }, 2);
    expect(buckets.take('a', 0)).toBe(true);
    expect(buckets.take('b', 0)).toBe(true);
    expect(buckets.take('a', 0)).toBe(false); // a is now the most recently used
    expect(buckets.take('c', 0)).toBe(true); // b goes
    expect(buckets.take('a', 0)).toBe(false); // a was kept, still empty
    expect(buckets.take('b', 0)).toBe(true); // b came back full
  });

  it('never lets more through in a window than the burst plus the rate times its length', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 300 }),
        (rate, burst, gaps) => {
          const buckets = new TokenBuckets({ ratePerSecond: rate, burst });
          let now = 0;
          let allowed = 0;
          for (const gap of gaps) {
            now += gap;
            if (buckets.take('k', now)) allowed += 1;
          }
          expect(allowed).toBeLessThanOrEqual(burst + Math.floor((now / 1000) * rate));
        },
      ),
    );
  });

  it('does not drain when the clock steps back', () => {
    const buckets = new TokenBuckets({ ratePerSecond: 1, burst: 1 });
    expect(buckets.take('a', 10_000)).toBe(true);
    expect(buckets.take('a', 5_000)).toBe(false);
    expect(buckets.take('a', 11_000)).toBe(true);
  });
});
