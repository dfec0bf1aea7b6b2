import { ObservedAccountsModule } from '../observed-accounts/observed-accounts.module';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
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
import { AliasVersionUsageResolver } from './alias-version-usage.resolver';
import { AliasesResolver } from './aliases.resolver';
import { AuditEventsResolver } from './audit-events.resolver';
import { DiffResolver } from './diff.resolver';
import { GraphiqlAssets, graphiqlBuildDir } from './graphiql-assets';
import { graphiqlPageRoute } from './graphiql-page.route';
import { graphqlOptions } from './graphql-options';
import { KeyResolver } from './key.resolver';

/**
 * GraphQL at /graphql (mercurius, code-first): the REST query API's questions, authenticated and
 * rate-limited the same way (QueryCallers) and scoped to the caller's account. Outside production,
 * GraphiQL at /graphiql, from its own build (src/graphql/graphiql-web): mercurius's page loads
 * GraphiQL from a CDN and is blank offline.
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
      inject: [QueryCallers],
      useFactory: (callers: QueryCallers) => graphqlOptions(callers),
    }),
  ],
  providers: [
    AliasesResolver,
    AuditEventsResolver,
    AliasHistoryResolver,
    AliasUsageResolver,
    AliasVersionUsageResolver,
    DiffResolver,
    KeyResolver,
  ],
})
export class GraphqlApiModule implements OnModuleInit {
  constructor(
    private readonly http: HttpAdapterHost,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  onModuleInit(): void {
    if (!this.config.graphiql) return;
    const fastify = this.http.httpAdapter.getInstance<FastifyInstance>();
    const built = graphiqlBuildDir();
    const page = graphiqlPageRoute(built === undefined ? undefined : new GraphiqlAssets(built));
    fastify.get('/graphiql', page);
    fastify.get('/graphiql/*', page);
  }
}
