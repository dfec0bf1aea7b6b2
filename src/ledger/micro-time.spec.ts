import fc from 'fast-check';
import { HOUR_MICROS, hourEnd, isoMicros, parseIsoMicros } from './micro-time';

describe('micro-time', () => {
  it('spells an instant with six fractional digits, in UTC', () => {
    expect(isoMicros(1_700_000_000_123_456)).toBe('2023-11-14T22:13:20.123456Z');
    expect(isoMicros(0)).toBe('1970-01-01T00:00:00.000000Z');
    expect(isoMicros(-1)).toBe('1969-12-31T23:59:59.999999Z');
  });

  it('spells every instant as Date.toISOString does, with microseconds', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (micros) => {
        const ms = Math.floor(micros / 1000);
        expect(isoMicros(micros)).toBe(
          `${new Date(ms).toISOString().slice(0, -1)}${String(micros - ms * 1000).padStart(3, '0')}Z`,
        );
      }),
      { numRuns: 5000 },
    );
  });

  it('reads back exactly what it writes, and nothing else', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (micros) => {
        expect(parseIsoMicros(isoMicros(micros))).toBe(micros);
      }),
    );
    expect(() => parseIsoMicros('2023-11-14T22:13:20.123Z')).toThrow(RangeError);
    expect(() => parseIsoMicros('2023-02-30T00:00:00.000000Z')).toThrow(RangeError);
  });

  it('ends a period at the next hour boundary, strictly after', () => {
    expect(hourEnd(0)).toBe(HOUR_MICROS);
    expect(hourEnd(HOUR_MICROS - 1)).toBe(HOUR_MICROS);
    expect(hourEnd(HOUR_MICROS)).toBe(2 * HOUR_MICROS);
  });
});
