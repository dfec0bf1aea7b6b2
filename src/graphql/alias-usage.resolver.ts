import { QUERY_ACTIONS } from '../authz/query-actions';
import { UseFilters } from '@nestjs/common';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { AuditEventsReader } from '../projections/audit/audit-events.reader';
import { aliasUsage } from '../projections/audit/alias-usage-snapshot';
import { AliasHistory } from './alias-history.types';
import { AliasUsage, type AliasVersionUsage } from './alias-usage.types';
import { AFTER_ARG, FIRST_ARG } from './argument-conventions';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { type ListPaging, listPage } from './list-page';
import { scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST, DEFAULT_PAGE } from './query-limits';

/** Who used an alias, per version: asked for only when selected, and only by callers of the audit trail. */
@Resolver(() => AliasHistory)
@UseFilters(GraphqlErrorsFilter)
export class AliasUsageResolver {
  constructor(
    private readonly audit: AuditEventsReader,
    private readonly tokens: PageTokens,
  ) {}

  @ResolveField(() => AliasUsage, {
    complexity: DATABASE_FIELD_COST,
    description:
      'Per version (every version of the alias, not only this page’s), the calls that came through the alias (named it as their key) and that version’s key served while it held, per operation and caller, a page of versions at a time. Needs aliastrail:ReadAudit.',
  })
  async usage(
    @Context() context: GraphqlContext,
    @Parent() history: AliasHistory,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after?: string | null,
  ): Promise<AliasUsage> {
    const scope = scopeOf(context.caller, history.scope.region, QUERY_ACTIONS.readAudit);
    const spans = history.versions.map((v) => ({
      version: v.version,
      keyId: v.targetKeyId,
      validFrom: v.validFrom,
      validTo: v.validTo ?? undefined,
    }));
    const { usagePosition, usage } = await aliasUsage(this.audit, scope, history.aliasName, spans);
    const versions: AliasVersionUsage[] = spans.map((v) => ({
      version: v.version,
      targetKeyId: v.keyId,
      calls: usage.get(v.version) ?? [],
      scope,
      aliasName: history.aliasName,
    }));
    const paging: ListPaging<AliasVersionUsage> = {
      use: { listing: 'graphql:history.usage', binding: { scope, aliasName: history.aliasName } },
      keyOf: (v) => String(v.version),
      follows: (v, key) => v.version > Number(key),
    };
    return { position: usagePosition, ...listPage(this.tokens, paging, versions, first, after), versions };
  }
}
