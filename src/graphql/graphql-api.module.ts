import { ObservedAccountsModule } from '../observed-accounts/observed-accounts.module';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { ClockModule } from '../clock/clock.module';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { KmsModule } from '../kms/kms.module';
import { PageTokensModule } from '../page-tokens/page-tokens.module';
import { ProjectionsModule } from '../projections/projections.module';
import { QueryCallers } from '../callers/query-callers';
import { QueryCallersModule } from '../callers/query-callers.module';
import { AliasHistoryResolver } from './alias-history.resolver';
import { AliasUsageResolver } from './alias-usage.resolver';
import { AliasesResolver } from './aliases.resolver';
import { AuditEventsResolver } from './audit-events.resolver';
import { DiffResolver } from './diff.resolver';
import { graphqlOptions } from './graphql-options';
import { KeyResolver } from './key.resolver';

/**
 * GraphQL at /graphql (mercurius, code-first): the REST query API's questions, authenticated and
 * rate-limited the same way (QueryCallers) and scoped to the caller's account.
 */
@Module({
  imports: [
    ProjectionsModule,
    PageTokensModule,
    ClockModule,
    KmsModule,
    ObservedAccountsModule,
    QueryCallersModule,
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      imports: [QueryCallersModule],
      inject: [CONFIG, QueryCallers],
      useFactory: (config: Config, callers: QueryCallers) => graphqlOptions(config, callers),
    }),
  ],
  providers: [
    AliasesResolver,
    AuditEventsResolver,
    AliasHistoryResolver,
    AliasUsageResolver,
    DiffResolver,
    KeyResolver,
  ],
})
export class GraphqlApiModule {}
