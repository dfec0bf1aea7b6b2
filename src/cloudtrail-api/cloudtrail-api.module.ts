import { Module } from '@nestjs/common';
import { PrincipalsModule } from '../auth/principals.module';
import { PageTokensModule } from '../page-tokens/page-tokens.module';
import { ProjectionsModule } from '../projections/projections.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { CloudTrailApi } from './cloudtrail.api';

/** CloudTrail's LookupEvents; the KMS endpoint serves it, told apart by X-Amz-Target. */
@Module({
  imports: [PrincipalsModule, ThrottleModule, ProjectionsModule, PageTokensModule],
  providers: [CloudTrailApi],
  exports: [CloudTrailApi],
})
export class CloudTrailApiModule {}
