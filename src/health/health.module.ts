import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module';
import { DatabaseGauges } from './database-gauges';
import { HealthController } from './health.controller';

@Module({ imports: [EventStoreModule], controllers: [HealthController], providers: [DatabaseGauges] })
export class HealthModule {}
