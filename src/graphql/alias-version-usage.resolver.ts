import { UseFilters } from '@nestjs/common';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { type AliasUsageLine, AliasUsageLineConnection, AliasVersionUsage } from './alias-usage.types';
import { AFTER_ARG, FIRST_ARG } from './argument-conventions';
import { GraphqlErrorsFilter } from './graphql-errors';
import { type ListPaging, listPage } from './list-page';
import { DEFAULT_PAGE } from './query-limits';

/** One version's usage lines as a connection: a line is one operation by one caller. */
@Resolver(() => AliasVersionUsage)
@UseFilters(GraphqlErrorsFilter)
export class AliasVersionUsageResolver {
  constructor(private readonly tokens: PageTokens) {}

  @ResolveField(() => AliasUsageLineConnection, {
    description: 'Per operation, then per caller, a page at a time.',
  })
  callConnection(
    @Parent() usage: AliasVersionUsage,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): AliasUsageLineConnection {
    const { scope, aliasName, version } = usage;
    const paging: ListPaging<AliasUsageLine> = {
      use: { listing: 'graphql:history.usage.calls', binding: { scope, aliasName, version } },
      // JSON keeps the two parts apart whatever characters an ARN holds.
      keyOf: (line) => JSON.stringify([line.eventName, line.principalArn]),
    };
    return listPage(this.tokens, paging, usage.calls, first, after);
  }
}
