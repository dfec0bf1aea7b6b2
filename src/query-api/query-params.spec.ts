import { HttpException } from '@nestjs/common';
import {
  asOfOf,
  limitOf,
  nextPageToken,
  pageTokenOf,
  positionOf,
  regionOf,
  single,
  timeOf,
  waitTimeoutOf,
} from './query-params';

/** The error code a parser answers with, or undefined when it accepts. */
function codeOf(parse: () => unknown): string | undefined {
  try {
    parse();
    return undefined;
  } catch (error) {
    const response = (error as HttpException).getResponse() as { error: { code: string } };
    expect((error as HttpException).getStatus()).toBe(400);
    return response.error.code;
  }
}

describe('query parameters', () => {
  it('takes an ISO time, or now when absent', () => {
    expect(timeOf('2026-03-01T14:00:00Z')).toEqual(new Date('2026-03-01T14:00:00Z'));
    expect(timeOf(undefined, 'at', () => new Date(5))).toEqual(new Date(5));
    expect(codeOf(() => timeOf('yesterday'))).toBe('InvalidTime');
    expect(codeOf(() => timeOf('2026-13-45T99:00:00Z'))).toBe('InvalidTime');
  });

  it('takes a time or a position, never both', () => {
    expect(asOfOf('2026-03-01T14:00:00Z', undefined)).toEqual({ time: new Date('2026-03-01T14:00:00Z') });
    expect(asOfOf(undefined, '42')).toEqual({ position: 42n });
    expect(codeOf(() => asOfOf('2026-03-01T14:00:00Z', '42'))).toBe('InvalidParameterCombination');
    expect(codeOf(() => asOfOf(undefined, '0'))).toBe('InvalidPosition');
    expect(codeOf(() => asOfOf(undefined, '-1'))).toBe('InvalidPosition');
    expect(codeOf(() => asOfOf(undefined, '9223372036854775808'))).toBe('InvalidPosition');
    expect(positionOf('9223372036854775807', 'p')).toBe(9223372036854775807n);
    expect(positionOf(undefined, 'p')).toBeUndefined();
  });

  it('bounds the wait by the configured maximum, which is also the default', () => {
    expect(waitTimeoutOf(undefined, 10_000)).toBe(10_000);
    expect(waitTimeoutOf('0', 10_000)).toBe(0);
    expect(codeOf(() => waitTimeoutOf('10001', 10_000))).toBe('InvalidWaitTimeout');
    expect(codeOf(() => waitTimeoutOf('1.5', 10_000))).toBe('InvalidWaitTimeout');
  });

  it('checks pages, Regions and repeated parameters', () => {
    expect(limitOf(undefined)).toBe(100);
    expect(limitOf('1000')).toBe(1000);
    expect(codeOf(() => limitOf('1001'))).toBe('InvalidLimit');
    expect(codeOf(() => limitOf('1e2'))).toBe('InvalidLimit');
    expect(regionOf('us-west-2')).toBe('us-west-2');
    expect(codeOf(() => regionOf('Mars'))).toBe('InvalidRegion');
    expect(codeOf(() => single({ at: ['a', 'b'] }, 'at'))).toBe('InvalidParameter');
    expect(pageTokenOf(nextPageToken('alias/é'))).toBe('alias/é');
  });
});
