import { RateMeter, etaSeconds } from './rebuild-progress';

describe('rebuild progress', () => {
  it('tells the time to go from the rate, and nothing without one', () => {
    expect(etaSeconds(250, 1000, 50)).toBe(15);
    expect(etaSeconds(1200, 1000, 50)).toBe(0);
    expect(etaSeconds(0, 1000, 0)).toBeUndefined();
  });

  it('measures the rate over the recent window, not the whole run', () => {
    const meter = new RateMeter(10_000);
    expect(meter.rate()).toBe(0);
    meter.record(0, 0);
    expect(meter.rate()).toBe(0);
    meter.record(1000, 10_000); // a fast start …
    expect(meter.rate()).toBe(10_000);
    for (let t = 2000; t <= 30_000; t += 1000) meter.record(t, 10_000 + (t - 1000)); // … then 1,000/s
    expect(meter.rate()).toBe(1000);
  });
});
