import { Module } from '@nestjs/common';
import { AuditRecorderModule } from '../audit/audit-recorder.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { DatabaseGauges } from './database-gauges';
import { HealthController } from './health.controller';

@Module({ imports: [EventStoreModule, AuditRecorderModule], controllers: [HealthController], providers: [DatabaseGauges] })
export class HealthModule {}
