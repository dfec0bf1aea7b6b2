import { UseFilters } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { Clock } from '../clock/clock';
import { formatCheckpoint } from '../event-store/checkpoint';
import { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { AliasDiff } from './alias-diff.types';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import { knownAt, observedOf } from './observed-evidence.types';
import { DateTime } from './date-time.scalar';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST } from './query-limits';

/** What changed between two points in time. */
@Resolver()
@UseFilters(GraphqlErrorsFilter)
export class DiffResolver {
  constructor(
    private readonly temporal: TemporalAliasesReader,
    private readonly clock: Clock,
    private readonly observed: ObservedAccounts,
  ) {}

  @Query(() => AliasDiff, {
    complexity: DATABASE_FIELD_COST,
    description: 'The aliases of the Region whose target differs between `from` and `to` (now by default).',
  })
  async diff(
    @Context() context: GraphqlContext,
    @Args('region') region: string,
    @Args('from', { type: () => DateTime }) from: Date,
    @Args('to', { type: () => DateTime, nullable: true }) to?: Date | null,
  ): Promise<AliasDiff> {
    const scope = scopeOf(context.caller, region);
    const until = to ?? this.clock.now();
    const observed = await observedOf(this.observed, this.temporal, scope);
    const known = knownAt(observed, [from, until]);
    const { answer, position } = await this.temporal.diff(scope, from, until);
    return { from, to: until, position: formatCheckpoint(position), changes: known ? answer : [], observed, known };
  }
}
