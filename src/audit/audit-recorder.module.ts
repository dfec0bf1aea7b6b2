import { Module } from '@nestjs/common';
import { ClockModule } from '../clock/clock.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { AuditRecorder } from './audit-recorder';

/** The recorder of calls that append no event; one instance, whose held records /health/ready shows. */
@Module({ imports: [EventStoreModule, ClockModule], providers: [AuditRecorder], exports: [AuditRecorder] })
export class AuditRecorderModule {}
