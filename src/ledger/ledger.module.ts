import { Module } from '@nestjs/common';
import { ClockModule } from '../clock/clock.module';
import { EventStoreModule } from '../event-store/event-store.module';
import { QueryCallersModule } from '../callers/query-callers.module';
import { LedgerAdminController } from './ledger-admin.controller';
import { LedgerService } from './ledger.service';

/** The tamper-evident ledger: its sequencer, and verify over the admin API. */
@Module({
  imports: [EventStoreModule, ClockModule, QueryCallersModule],
  providers: [LedgerService],
  controllers: [LedgerAdminController],
})
export class LedgerModule {}
