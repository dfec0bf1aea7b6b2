import { Module } from '@nestjs/common';
import { AuditRecorderModule } from '../audit/audit-recorder.module';
import { PrincipalsModule } from '../auth/principals.module';
import { CloudTrailApiModule } from '../cloudtrail-api/cloudtrail-api.module';
import { KmsModule } from '../kms/kms.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { KmsController } from './kms.controller';

/** The AWS JSON 1.1 endpoint: SigV4, validation, dispatch to the KMS operations, error mapping. */
@Module({
  imports: [KmsModule, PrincipalsModule, ThrottleModule, AuditRecorderModule, CloudTrailApiModule],
  controllers: [KmsController],
})
export class KmsApiModule {}
