import { Module } from '@nestjs/common';
import { QueryCallersModule } from '../callers/query-callers.module';
import { ClockModule } from '../clock/clock.module';
import { AdminClockController } from './admin-clock.controller';
import { KmsModule } from './kms.module';

/** POST /admin/clock; AppModule imports it only with ALIASTRAIL_CLOCK=controllable. */
@Module({ imports: [ClockModule, KmsModule, QueryCallersModule], controllers: [AdminClockController] })
export class AdminClockModule {}
