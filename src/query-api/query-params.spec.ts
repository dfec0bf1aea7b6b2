import * as os from 'node:os';
import * as path from 'node:path';
import { HttpException } from '@nestjs/common';
import { SystemClock } from '../clock/clock';
import type { Config } from '../config/config';
import { PageTokens } from '../page-tokens/page-tokens.service';
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

const tokens = new PageTokens(
  { ledgerKeyFile: path.join(os.tmpdir(), 'query-params-spec', 'ledger-signing-key.pem') } as Config,
  new SystemClock(),
);

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

  it('reads back its own nextTokens, for the same account and Region only', () => {
    const scope = { accountId: '111122223333', region: 'us-west-2' };
    const token = nextPageToken(tokens, scope, 'alias/é');
    expect(pageTokenOf(tokens, scope, token)).toBe('alias/é');
    expect(pageTokenOf(tokens, scope, undefined)).toBeUndefined();
    // Tokens of old (unauthenticated) and hostile kinds: 400, never a page.
    for (const bad of ["' OR 1=1--", 'eyJhIjoxfQ', Buffer.from('alias/é').toString('base64url'), `${token}A`])
      expect(codeOf(() => pageTokenOf(tokens, scope, bad))).toBe('InvalidNextToken');
    expect(codeOf(() => pageTokenOf(tokens, { ...scope, region: 'eu-west-1' }, token))).toBe('InvalidNextToken');
  });

  it('checks pages, Regions and repeated parameters', () => {
    expect(limitOf(undefined)).toBe(100);
    expect(limitOf('1000')).toBe(1000);
    expect(codeOf(() => limitOf('1001'))).toBe('InvalidLimit');
    expect(codeOf(() => limitOf('1e2'))).toBe('InvalidLimit');
    expect(regionOf('us-west-2')).toBe('us-west-2');
    expect(codeOf(() => regionOf('Mars'))).toBe('InvalidRegion');
    expect(codeOf(() => single({ at: ['a', 'b'] }, 'at'))).toBe('InvalidParameter');
  });
});
