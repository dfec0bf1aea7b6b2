import { Module } from '@nestjs/common';
import { ClockModule } from '../clock/clock.module';
import { KmsModule } from '../kms/kms.module';
import { PageTokensModule } from '../page-tokens/page-tokens.module';
import { ProjectionsModule } from '../projections/projections.module';
import { AuditEventsController } from './audit-events.controller';
import { QueryCallersModule } from '../callers/query-callers.module';
import { TemporalAliasesController } from './temporal-aliases.controller';
import { TemporalKeysController } from './temporal-keys.controller';
import { ObservedAccountsModule } from '../observed-accounts/observed-accounts.module';

/** The REST query API under /api (issue 4): SigV4-signed, scoped to the caller's account. */
@Module({
  imports: [ProjectionsModule, PageTokensModule, QueryCallersModule, ClockModule, KmsModule, ObservedAccountsModule],
  controllers: [TemporalAliasesController, TemporalKeysController, AuditEventsController],
})
export class QueryApiModule {}
