import { QUERY_ACTIONS } from '../authz/query-actions';
import { UseFilters } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { auditCursorBytes, auditCursorOf, auditTokenUse } from '../audit/audit-page-token';
import { formatCheckpoint } from '../event-store/checkpoint';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { type AuditEventView, recordText } from '../projections/audit/audit-event-view';
import { AuditEventsReader } from '../projections/audit/audit-events.reader';
import { AuditEventConnection, type AuditEvent } from './audit-event.types';
import { AFTER_ARG, FIRST_ARG, REGION_ARG } from './argument-conventions';
import { AuditSearchArgs, auditFiltersOf } from './audit-search.args';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { pageOf } from './page-info.types';
import { openingCursor, pageSizeOf, scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST, DEFAULT_PAGE } from './query-limits';

function eventOf(view: AuditEventView): AuditEvent & { view: AuditEventView } {
  return {
    view,
    eventId: view.eventId,
    eventTime: view.eventTime,
    eventName: view.eventName,
    readOnly: view.readOnly,
    username: view.username,
    accessKeyId: view.accessKeyId,
    sourceIPAddress: view.sourceIp,
    errorCode: view.errorCode,
    resources: view.resources.map((r) => ({ accountId: r.accountId, type: r.type, arn: r.ARN })),
    cloudTrailEvent: recordText(view),
  };
}

/** The audit trail's search (as GET /api/regions/{region}/audit-events), from the `audit` projection. */
@Resolver()
@UseFilters(GraphqlErrorsFilter)
export class AuditEventsResolver {
  constructor(
    private readonly audit: AuditEventsReader,
    private readonly tokens: PageTokens,
  ) {}

  @Query(() => AuditEventConnection, {
    complexity: DATABASE_FIELD_COST,
    description: 'CloudTrail records of API calls, failed ones included; newest first unless `oldestFirst`.',
  })
  auditEvents(
    @Context() context: GraphqlContext,
    @Args('region', REGION_ARG) region: string,
    @Args('first', FIRST_ARG) first = DEFAULT_PAGE,
    @Args('after', AFTER_ARG) after: string | null | undefined,
    @Args() args: AuditSearchArgs,
  ): Promise<AuditEventConnection> {
    const scope = scopeOf(context.caller, region, QUERY_ACTIONS.readAudit);
    const size = pageSizeOf(first);
    const filters = auditFiltersOf(args);
    const oldestFirst = args.oldestFirst;
    const search = { ...filters, order: oldestFirst ? ('oldest' as const) : ('newest' as const) };
    const use = auditTokenUse('graphql:auditEvents', scope, search);
    const from = after ? openingCursor(() => auditCursorOf(this.tokens.open(use, after))) : undefined;
    return this.audit.snapshot(async (reader, position) => {
      const rows = await reader.search(scope, { ...search, limit: size + 1, after: from });
      const page = pageOf(rows.map(eventOf), size, (event) => this.tokens.issue(use, auditCursorBytes(event.view)));
      return { position: formatCheckpoint(position), ...page };
    });
  }
}
