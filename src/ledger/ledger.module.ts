import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module';
import { LedgerAdminController } from './ledger-admin.controller';
import { LedgerService } from './ledger.service';

/** The tamper-evident ledger: its sequencer, and verify over the admin API. */
@Module({
  imports: [EventStoreModule],
  providers: [LedgerService],
  controllers: [LedgerAdminController],
})
export class LedgerModule {}
