import { UseFilters } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { formatCheckpoint } from '../event-store/checkpoint';
import type { Scope } from '../kms/domain/identifiers';
import { ObservedAccounts } from '../observed-accounts/observed-accounts';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { observedOf } from './observed-evidence.types';
import { TemporalAliasesReader } from '../projections/temporal/temporal-aliases.reader';
import { AliasHistory, type AliasHistoryChange, AliasHistoryChangeConnection } from './alias-history.types';
import type { AliasVersion } from './alias-version.types';
import { changesOf, versionOf } from './alias.mapping';
import { AFTER_ARG, ALIAS_NAME, FIRST_ARG, REGION_ARG } from './argument-conventions';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { type ListPaging, listPage } from './list-page';
import { aliasNameOf, scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST, DEFAULT_PAGE } from './query-limits';

const bound = (scope: Scope, aliasName: string) => ({ scope, aliasName });

/** Versions are numbered from 1 in order: a page resumes after the last number shown. */
const byVersion = (scope: Scope, aliasName: string): ListPaging<AliasVersion> => ({
  use: { listing: 'graphql:history', binding: bound(scope, aliasName) },
  keyOf: (version) => String(version.version),
  follows: (version, key) => version.version > Number(key),
});

/** A version has at most two changes, its start and (unless retargeted) its end: version and which one. */
const byChange = (scope: Scope, aliasName: string): ListPaging<AliasHistoryChange> => ({
  use: { listing: 'graphql:history.changes', binding: bound(scope, aliasName) },
  keyOf: (change, i, changes) => `${change.version}.${changes[i - 1]?.version === change.version ? 1 : 0}`,
});

/** An alias's whole history: who changed it, when, from which key to which. */
@Resolver(() => AliasHistory)
@UseFilters(GraphqlErrorsFilter)
export class AliasHistoryResolver {
  constructor(
    private readonly temporal: TemporalAliasesReader,
    private readonly observed: ObservedAccounts,
    private readonly tokens: PageTokens,
  ) {}

  @Query(() => AliasHistory, {
    complexity: DATABASE_FIELD_COST,
    description:
      'Every version of an alias, oldest first, across deletions and re-creations, a page at a time; empty if it never existed.',
  })
  async history(
    @Context() context: GraphqlContext,
    @Args('region', REGION_ARG) region: string,
    @Args('aliasName', { description: ALIAS_NAME }) aliasName: string,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<AliasHistory> {
    const scope = scopeOf(context.caller, region);
    const name = aliasNameOf(aliasName);
    const observed = await observedOf(this.observed, this.temporal, scope);
    const { answer, position } = await this.temporal.history(scope, name);
    const versions = answer.map((v) => versionOf(scope, v));
    const changes = changesOf(versions);
    const page = listPage(this.tokens, byVersion(scope, name), versions, first, after);
    return { aliasName: name, position: formatCheckpoint(position), ...page, versions, changes, observed, scope };
  }

  @ResolveField(() => AliasHistoryChangeConnection, {
    description: 'The same history as changes (created, retargeted, deleted), oldest first, a page at a time.',
  })
  changeConnection(
    @Parent() history: AliasHistory,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): AliasHistoryChangeConnection {
    return listPage(this.tokens, byChange(history.scope, history.aliasName), history.changes, first, after);
  }
}
