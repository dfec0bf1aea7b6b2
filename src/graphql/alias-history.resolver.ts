import { UseFilters } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { formatCheckpoint } from '../event-store/checkpoint';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import { observedOf } from './observed-evidence.types';
import { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { AliasHistory } from './alias-history.types';
import { changesOf, versionOf } from './alias.mapping';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { aliasNameOf, scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST } from './query-limits';

/** An alias's whole history: who changed it, when, from which key to which. */
@Resolver()
@UseFilters(GraphqlErrorsFilter)
export class AliasHistoryResolver {
  constructor(
    private readonly temporal: TemporalAliasesReader,
    private readonly observed: ObservedAccounts,
  ) {}

  @Query(() => AliasHistory, {
    complexity: DATABASE_FIELD_COST,
    description:
      'Every version of an alias, oldest first, across deletions and re-creations; empty if it never existed.',
  })
  async history(
    @Context() context: GraphqlContext,
    @Args('region') region: string,
    @Args('aliasName', { description: 'The alias name, alias/…' }) aliasName: string,
  ): Promise<AliasHistory> {
    const scope = scopeOf(context.caller, region);
    const name = aliasNameOf(aliasName);
    const observed = await observedOf(this.observed, this.temporal, scope);
    const { answer, position } = await this.temporal.history(scope, name);
    const versions = answer.map((v) => versionOf(scope, v));
    const changes = changesOf(versions);
    return { aliasName: name, position: formatCheckpoint(position), versions, changes, observed, scope };
  }
}
