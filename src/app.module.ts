import { type DynamicModule, Module } from '@nestjs/common';
import type { Config } from './config/config';
import { BearerTokensAdminModule } from './bearer-tokens-admin/bearer-tokens-admin.module';
import { CONFIG } from './config/config.token';
import { ConsoleModule } from './console/console.module';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { GraphqlApiModule } from './graphql/graphql-api.module';
import { HealthModule } from './health/health.module';
import { KmsApiModule } from './kms-api/kms-api.module';
import { AdminClockModule } from './kms/admin-clock.module';
import { LedgerModule } from './ledger/ledger.module';
import { MetricsModule } from './metrics/metrics.module';
import { ProjectionsModule } from './projections/projections.module';
import { QueryApiModule } from './query-api/query-api.module';

@Module({})
export class AppModule {
  static forRoot(config: Config, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DatabaseModule.forRoot(config, databaseUrl),
        MetricsModule,
        EventStoreModule,
        HealthModule,
        KmsApiModule,
        ConsoleModule,
        ...(config.clock === 'controllable' ? [AdminClockModule] : []),
        ProjectionsModule,
        QueryApiModule,
        GraphqlApiModule,
        LedgerModule,
        BearerTokensAdminModule,
      ],
      providers: [{ provide: CONFIG, useValue: config }],
      exports: [CONFIG],
    };
  }
}
