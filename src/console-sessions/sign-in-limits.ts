import { TokenBuckets } from '../throttle/token-buckets';

/**
 * How many console sign-ins are tried before the rest wait (issue 15): per access key, so one
 * principal's secret cannot be guessed fast from many addresses, and per source IP, so one address
 * cannot try many keys. Attempts count, successful or not. Per service instance, in memory.
 */
export const SIGN_IN_LIMITS = {
  perAccessKey: { ratePerSecond: 1 / 30, burst: 10 },
  perSourceIp: { ratePerSecond: 1 / 10, burst: 30 },
  /** Source addresses tracked at most; past it the least recently seen are forgotten. */
  maxSourceIps: 10_000,
} as const;

export class SignInLimits {
  // Bounded too: in permissive mode any well-formed access key is a principal.
  private readonly byAccessKey = new TokenBuckets(SIGN_IN_LIMITS.perAccessKey, SIGN_IN_LIMITS.maxSourceIps);
  private readonly bySourceIp = new TokenBuckets(SIGN_IN_LIMITS.perSourceIp, SIGN_IN_LIMITS.maxSourceIps);

  /**
   * Takes one attempt from `sourceIp`, and from `knownAccessKeyId` when it names a principal (only
   * those, a bounded set: made-up keys are limited by address alone); false when either is spent.
   */
  allows(sourceIp: string, knownAccessKeyId: string | undefined, nowMs: number): boolean {
    if (!this.bySourceIp.take(sourceIp, nowMs)) return false;
    return knownAccessKeyId === undefined || this.byAccessKey.take(knownAccessKeyId, nowMs);
  }
}
