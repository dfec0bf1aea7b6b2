import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module';
import { QueryCallersModule } from '../callers/query-callers.module';
import { AuditEventsProjection } from './audit/audit-events.projection';
import { AuditEventsReader } from './audit/audit-events.reader';
import { ProjectionsAdminController } from './projections-admin.controller';
import { ProjectionsService } from './projections.service';
import { ProjectionRebuilds } from './rebuild/projection-rebuilds.service';
import { TemporalAliasesProjection } from './temporal/temporal-aliases.projection';
import { TemporalAliasesReader } from './temporal/temporal-aliases.reader';
import { KeysAtReader } from './temporal/keys-at.reader';

@Module({
  imports: [EventStoreModule, QueryCallersModule],
  providers: [
    TemporalAliasesProjection,
    TemporalAliasesReader,
    KeysAtReader,
    AuditEventsProjection,
    AuditEventsReader,
    ProjectionsService,
    ProjectionRebuilds,
  ],
  controllers: [ProjectionsAdminController],
  exports: [TemporalAliasesReader, KeysAtReader, AuditEventsReader],
})
export class ProjectionsModule {}
