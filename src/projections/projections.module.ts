import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module';
import { ProjectionsService } from './projections.service';
import { TemporalAliasesProjection } from './temporal/temporal-aliases.projection';
import { TemporalAliasesReader } from './temporal/temporal-aliases.reader';

@Module({
  imports: [EventStoreModule],
  providers: [TemporalAliasesProjection, TemporalAliasesReader, ProjectionsService],
  exports: [TemporalAliasesReader],
})
export class ProjectionsModule {}
