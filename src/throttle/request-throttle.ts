import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { type Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { KmsError } from '../kms/domain/kms-error';
import { TokenBuckets } from './token-buckets';

/**
 * The APIs that are limited apart, as AWS limits each service apart: a principal reading history
 * hard cannot starve its own alias changes, nor the other way round.
 */
export type ThrottledApi = 'kms' | 'cloudtrail' | 'query';

/** The per-principal rate limit (ALIASTRAIL_RATE_LIMIT), off unless configured. */
@Injectable()
export class RequestThrottle {
  private readonly buckets: TokenBuckets | undefined;

  constructor(@Inject(CONFIG) config: Config) {
    this.buckets = config.rateLimit && new TokenBuckets(config.rateLimit);
  }

  /** Takes one of `principal`'s calls to `api` this moment; false when none is left. */
  allows(principal: Principal, api: ThrottledApi): boolean {
    return !this.buckets || this.buckets.take(`${api}:${principal.accessKeyId}`, Date.now());
  }

  /** Throws AWS's ThrottlingException when `principal` has no call to `api` left this moment. */
  check(principal: Principal, api: Exclude<ThrottledApi, 'query'>): void {
    if (!this.allows(principal, api)) throw new KmsError('ThrottlingException', 'Rate exceeded');
  }
}
