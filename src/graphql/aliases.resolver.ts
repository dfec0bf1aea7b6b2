import { UseFilters } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { Clock } from '../clock/clock';
import { formatCheckpoint } from '../event-store/checkpoint';
import type { Scope } from '../kms/domain/identifiers';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { AliasConnection } from './alias-connection.types';
import { AliasAt } from './alias-version.types';
import { versionOf } from './alias.mapping';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import { knownAt, observedOf } from './observed-evidence.types';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { pageOf } from './page-info.types';
import { afterAlias, aliasCursor, aliasNameOf, pageSizeOf, scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST, DEFAULT_PAGE } from './query-limits';
import { AFTER_ARG, ALIAS_NAME, AT_ARG, FIRST_ARG, REGION_ARG, REQUIRED_AT_ARG } from './argument-conventions';
import { renamedTo, requiredRenamed } from './renamed-argument';

/** One alias, or every alias of a Region, at a point in time, from the `temporal` projection. */
@Resolver()
@UseFilters(GraphqlErrorsFilter)
export class AliasesResolver {
  constructor(
    private readonly temporal: TemporalAliasesReader,
    private readonly clock: Clock,
    private readonly tokens: PageTokens,
    private readonly observed: ObservedAccounts,
  ) {}

  @Query(() => AliasAt, {
    complexity: DATABASE_FIELD_COST,
    description: 'The version of an alias that held at `at` (now by default), from the temporal projection.',
  })
  async alias(
    @Context() context: GraphqlContext,
    @Args('region', REGION_ARG) region: string,
    // Nullable only so that the deprecated `name` can stand in for it (a required argument cannot be deprecated).
    @Args('aliasName', { type: () => String, nullable: true, description: `${ALIAS_NAME} Required.` })
    aliasNameGiven?: string | null,
    @Args('at', AT_ARG) at?: Date | null,
    @Args('name', { type: () => String, nullable: true, deprecationReason: renamedTo('aliasName') })
    name?: string | null,
  ): Promise<AliasAt> {
    const scope = scopeOf(context.caller, region);
    const given = requiredRenamed(['aliasName', aliasNameGiven], ['name', name]);
    const [aliasName, time] = [aliasNameOf(given), at ?? this.clock.now()];
    const observed = await observedOf(this.observed, this.temporal, scope);
    const known = knownAt(observed, [time]);
    const { answer, position } = await this.temporal.aliasAt(scope, aliasName, time);
    return {
      aliasName,
      at: time,
      position: formatCheckpoint(position),
      alias: answer && known ? versionOf(scope, answer) : null,
      observed,
      known,
    };
  }

  @Query(() => AliasConnection, {
    complexity: DATABASE_FIELD_COST,
    description: 'Every alias of the Region that existed at `at` (now by default), in name order.',
  })
  aliases(
    @Context() context: GraphqlContext,
    @Args('region', REGION_ARG) region: string,
    @Args('at', AT_ARG) at?: Date | null,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<AliasConnection> {
    return this.page(scopeOf(context.caller, region), at ?? this.clock.now(), first, after);
  }

  @Query(() => AliasConnection, {
    complexity: DATABASE_FIELD_COST,
    description: 'Every alias of the Region that existed at `at`, in name order: `aliases` with a required time.',
  })
  aliasesAt(
    @Context() context: GraphqlContext,
    @Args('region', REGION_ARG) region: string,
    @Args('at', REQUIRED_AT_ARG) at: Date,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<AliasConnection> {
    return this.page(scopeOf(context.caller, region), at, first, after);
  }

  private async page(
    scope: Scope,
    at: Date,
    first: number,
    after: string | null | undefined,
  ): Promise<AliasConnection> {
    const [size, from] = [pageSizeOf(first), afterAlias(this.tokens, scope, after)];
    const observed = await observedOf(this.observed, this.temporal, scope);
    const known = knownAt(observed, [at]);
    // One row more than the page says whether another page follows.
    const { answer, position } = await this.temporal.aliasesAt(scope, at, { after: from, limit: size + 1 });
    const versions = (known ? answer : []).map((row) => versionOf(scope, row));
    return {
      at,
      position: formatCheckpoint(position),
      ...pageOf(versions, size, (v) => aliasCursor(this.tokens, scope, v.aliasName)),
      observed,
      known,
    };
  }
}
