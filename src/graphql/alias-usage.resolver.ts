import { QUERY_ACTIONS } from '../authz/query-actions';
import { UseFilters } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { AuditEventsReader } from '../projections/audit/audit-events.reader';
import { aliasUsage } from '../projections/audit/alias-usage-snapshot';
import { AliasHistory } from './alias-history.types';
import { AliasUsage } from './alias-usage.types';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST } from './query-limits';

/** Who used an alias, per version: asked for only when selected, and only by callers of the audit trail. */
@Resolver(() => AliasHistory)
@UseFilters(GraphqlErrorsFilter)
export class AliasUsageResolver {
  constructor(private readonly audit: AuditEventsReader) {}

  @ResolveField(() => AliasUsage, {
    complexity: DATABASE_FIELD_COST,
    description:
      'Per version, the calls that came through the alias (named it as their key) and that version’s key served while it held, per operation and caller. Needs aliastrail:ReadAudit.',
  })
  async usage(@Context() context: GraphqlContext, @Parent() history: AliasHistory): Promise<AliasUsage> {
    const scope = scopeOf(context.caller, history.scope.region, QUERY_ACTIONS.readAudit);
    const spans = history.versions.map((v) => ({
      version: v.version,
      keyId: v.targetKeyId,
      validFrom: v.validFrom,
      validTo: v.validTo ?? undefined,
    }));
    const { usagePosition, usage } = await aliasUsage(this.audit, scope, history.aliasName, spans);
    return {
      position: usagePosition,
      versions: spans.map((v) => ({ version: v.version, targetKeyId: v.keyId, calls: usage.get(v.version) ?? [] })),
    };
  }
}
