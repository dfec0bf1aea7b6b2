import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { type Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { KmsError } from '../kms/kms-error';
import { TokenBuckets } from './token-buckets';

/** The per-principal rate limit (ALIASTRAIL_RATE_LIMIT), off unless configured. */
@Injectable()
export class RequestThrottle {
  private readonly buckets: TokenBuckets | undefined;

  constructor(@Inject(CONFIG) config: Config) {
    this.buckets = config.rateLimit && new TokenBuckets(config.rateLimit);
  }

  /** Throws AWS's ThrottlingException when `principal` has no call left this moment. */
  check(principal: Principal): void {
    if (this.buckets && !this.buckets.take(principal.accessKeyId, Date.now()))
      throw new KmsError('ThrottlingException', 'Rate exceeded');
  }
}
