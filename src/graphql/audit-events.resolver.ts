import { QUERY_ACTIONS } from '../authz/query-actions';
import { UseFilters } from '@nestjs/common';
import { Args, Context, Int, Query, Resolver } from '@nestjs/graphql';
import { auditCursorBytes, auditCursorOf, auditTokenUse } from '../audit/audit-page-token';
import { formatCheckpoint } from '../event-store/checkpoint';
import { PageTokens } from '../page-tokens/page-tokens.service';
import { type AuditEventView, recordText } from '../projections/audit/audit-event-view';
import { AuditEventsReader, type AuditFilters } from '../projections/audit/audit-events.reader';
import { AuditEventConnection, type AuditEvent } from './audit-event.types';
import { DateTime } from './date-time.scalar';
import type { GraphqlContext } from './graphql-context';
import { GraphqlErrorsFilter } from './graphql-errors';
import { pageOf } from './page-info.types';
import { badInput, openingCursor, pageSizeOf, scopeOf } from './query-arguments';
import { DATABASE_FIELD_COST, DEFAULT_PAGE } from './query-limits';

const text = (description: string) => ({ type: () => String, nullable: true, description });

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
    @Args('region', { description: 'The Region, e.g. us-west-2.' }) region: string,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_PAGE, description: 'Page size, 1 to 1000.' })
    first = DEFAULT_PAGE,
    @Args('after', text('The endCursor of the previous page, for the same filters.')) after?: string | null,
    @Args('eventName', text('An operation, e.g. UpdateAlias.')) eventName?: string | null,
    @Args('eventNames', { type: () => [String], nullable: true, description: 'Any of these operations.' })
    eventNames?: string[] | null,
    @Args('username', text('The caller’s user name.')) username?: string | null,
    @Args('alias', text('An alias name or ARN the call named as its key (a crypto call through it) or concerned.'))
    alias?: string | null,
    @Args('keyId', text('A key id or ARN the call concerned.')) keyId?: string | null,
    @Args('accessKeyId', text('The access key the call was signed with.')) accessKeyId?: string | null,
    @Args('sourceIPAddress', text('The caller’s IP address.')) sourceIp?: string | null,
    @Args('errorCode', text('An exception name, or * for any failed call.')) errorCode?: string | null,
    @Args('readOnly', { type: () => Boolean, nullable: true }) readOnly?: boolean | null,
    @Args('startTime', { type: () => DateTime, nullable: true, description: 'Inclusive.' }) startTime?: Date | null,
    @Args('endTime', { type: () => DateTime, nullable: true, description: 'Inclusive.' }) endTime?: Date | null,
    @Args('oldestFirst', { type: () => Boolean, defaultValue: false }) oldestFirst = false,
  ): Promise<AuditEventConnection> {
    const scope = scopeOf(context.caller, region, QUERY_ACTIONS.readAudit);
    const size = pageSizeOf(first);
    if (startTime && endTime && startTime > endTime) throw badInput('startTime must not be after endTime.');
    if (eventNames && eventNames.length > 50) throw badInput('eventNames takes at most 50 operations.');
    const given: Record<string, unknown> = {
      eventName,
      eventNames,
      username,
      alias,
      resources: typeof keyId === 'string' ? [keyId] : undefined,
      accessKeyId,
      sourceIp,
      errorCode,
      readOnly,
      startTime,
      endTime,
    };
    const filters = Object.fromEntries(
      Object.entries(given).filter(([, v]) => v !== undefined && v !== null),
    ) as AuditFilters;
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
