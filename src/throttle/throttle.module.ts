import { Module } from '@nestjs/common';
import { RequestThrottle } from './request-throttle';

/** Per-principal rate limits; one instance, so the KMS, CloudTrail and query APIs share the buckets. */
@Module({ providers: [RequestThrottle], exports: [RequestThrottle] })
export class ThrottleModule {}
