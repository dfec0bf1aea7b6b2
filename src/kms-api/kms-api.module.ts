import { ObservedAccountsModule } from '../observed-accounts/observed-accounts.module';
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AuditRecorderModule } from '../audit/audit-recorder.module';
import { PrincipalsModule } from '../auth/principals.module';
import { CloudTrailApiModule } from '../cloudtrail-api/cloudtrail-api.module';
import { KmsModule } from '../kms/kms.module';
import { ThrottleModule } from '../throttle/throttle.module';
import { KmsController } from './kms.controller';

/**
 * The AWS JSON 1.1 endpoint: SigV4, validation, dispatch to the KMS operations, error mapping.
 * `POST /` is a Fastify route of its own rather than a Nest controller route: the controller
 * answers every call and every error itself, so Nest's router (parameter decorators, interceptor
 * and filter chains) added nothing but cost, about a tenth of the service's CPU per Encrypt
 * (measured at 8 clients: 0.65-0.69 ms of CPU per call instead of 0.75-0.88).
 */
@Module({
  imports: [
    KmsModule,
    PrincipalsModule,
    ThrottleModule,
    AuditRecorderModule,
    CloudTrailApiModule,
    ObservedAccountsModule,
  ],
  providers: [KmsController],
  exports: [KmsController],
})
export class KmsApiModule implements OnModuleInit {
  constructor(
    private readonly http: HttpAdapterHost,
    private readonly kms: KmsController,
  ) {}

  onModuleInit(): void {
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    fastify.post('/', (request, reply) => this.kms.handle(request, reply));
  }
}
