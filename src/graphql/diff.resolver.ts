import { UseFilters } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { Clock } from '../clock/clock';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { formatCheckpoint } from '../event-store/checkpoint';
import { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { AliasDiff, type AliasTargetChange } from './alias-diff.types';
import { AFTER_ARG, FIRST_ARG, REGION_ARG } from './argument-conventions';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import { knownAt, observedOf } from './observed-evidence.types';
import { DateTime } from './date-time.scalar';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST, DEFAULT_PAGE } from './query-limits';
import { type ListPaging, listPage } from './list-page';

/** Changes are in name order: a page resumes after the last name shown. */
const byName = (binding: unknown): ListPaging<AliasTargetChange> => ({
  use: { listing: 'graphql:diff', binding },
  keyOf: (change) => change.aliasName,
  follows: (change, name) => change.aliasName > name,
});

/** What changed between two points in time. */
@Resolver()
@UseFilters(GraphqlErrorsFilter)
export class DiffResolver {
  constructor(
    private readonly temporal: TemporalAliasesReader,
    private readonly clock: Clock,
    private readonly observed: ObservedAccounts,
    private readonly tokens: PageTokens,
  ) {}

  @Query(() => AliasDiff, {
    complexity: DATABASE_FIELD_COST,
    description:
      'The aliases of the Region whose target differs between `from` and `to` (now by default), in name order, a page at a time.',
  })
  async diff(
    @Context() context: GraphqlContext,
    @Args('region', REGION_ARG) region: string,
    @Args('from', { type: () => DateTime, description: 'The span’s start: the state compared from.' }) from: Date,
    @Args('to', { type: () => DateTime, nullable: true, description: 'The span’s end; now when omitted.' })
    to?: Date | null,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<AliasDiff> {
    const scope = scopeOf(context.caller, region);
    const until = to ?? this.clock.now();
    const observed = await observedOf(this.observed, this.temporal, scope);
    const known = knownAt(observed, [from, until]);
    const { answer, position } = await this.temporal.diff(scope, from, until);
    const changes = known ? answer : [];
    // Bound to `to` as given: a diff up to "now" pages on as now moves.
    const page = listPage(this.tokens, byName({ scope, from, to: to ?? null }), changes, first, after);
    return { from, to: until, position: formatCheckpoint(position), ...page, changes, observed, known };
  }
}
