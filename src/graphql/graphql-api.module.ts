import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { PrincipalRegistry } from '../auth/principal.registry';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.token';
import { ProjectionsModule } from '../projections/projections.module';
import { AliasHistoryResolver } from './alias-history.resolver';
import { AliasesResolver } from './aliases.resolver';
import { AuditEventsResolver } from './audit-events.resolver';
import { DiffResolver } from './diff.resolver';
import { graphqlOptions } from './graphql-options';
import { KeyResolver } from './key.resolver';

/**
 * GraphQL at /graphql (mercurius, code-first): the REST query API's questions, authenticated the same
 * way (PrincipalRegistry comes from the global KmsApiModule) and scoped to the caller's account.
 */
@Module({
  imports: [
    ProjectionsModule,
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      inject: [CONFIG, PrincipalRegistry],
      useFactory: (config: Config, principals: PrincipalRegistry) => graphqlOptions(config, principals),
    }),
  ],
  providers: [AliasesResolver, AuditEventsResolver, AliasHistoryResolver, DiffResolver, KeyResolver],
})
export class GraphqlApiModule {}
