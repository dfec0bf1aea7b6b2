import { QUERY_ACTIONS, auditArn, requireAction } from '../authz/query-actions';
import { Readable } from 'node:stream';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { restError } from '../api-errors/rest-error';
import { csvHeader, csvLine, jsonLine } from '../projections/audit/audit-export';
import { auditCursorBytes, auditCursorOf, auditTokenUse } from '../audit/audit-page-token';
import { formatCheckpoint } from '../event-store/checkpoint';
import type { Scope } from '../kms/domain/identifiers';
import { InvalidPageToken } from '../page-tokens/page-token-codec';
import { PageTokens } from '../page-tokens/page-tokens.service';
import type { AuditEventView } from '../projections/audit/audit-event-view';
import { type AuditFilters, AuditEventsReader } from '../projections/audit/audit-events.reader';
import { AuditEventsApi, AuditExportDoc, AuditSearchDoc } from './audit-events.openapi';
import { type AuditQuery, auditFiltersOf, formatOf, orderOf, pageSizeOf } from './audit-search-params';
import { QueryCallers } from '../callers/query-callers';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const EXPORT_PAGE = 1000;

/** A record as a search returns it: the searchable facts, and the CloudTrail record itself. */
function eventJson(view: AuditEventView) {
  return {
    eventId: view.eventId,
    eventTime: view.eventTime.toISOString(),
    eventName: view.eventName,
    readOnly: view.readOnly,
    username: view.username,
    accessKeyId: view.accessKeyId,
    sourceIPAddress: view.sourceIp,
    errorCode: view.errorCode,
    resources: view.resources,
    cloudTrailEvent: view.record,
  };
}

/**
 * The audit trail over REST, from the `audit` projection: a search combining any filters, newest
 * first by default, with keyset pagination (the nextToken stays valid while records are added), and
 * an export of a whole search as JSON Lines or CSV, streamed page by page.
 */
@Controller('api/regions/:region/audit-events')
@AuditEventsApi()
export class AuditEventsController {
  constructor(
    private readonly callers: QueryCallers,
    private readonly audit: AuditEventsReader,
    private readonly tokens: PageTokens,
  ) {}

  @Get()
  @AuditSearchDoc()
  async search(@Req() req: FastifyRequest, @Param('region') region: string, @Query() query: AuditQuery) {
    const scope = await this.scopeOf(req, region);
    const filters = auditFiltersOf(query);
    const order = orderOf(query);
    const limit = pageSizeOf(query);
    const search = { ...filters, order };
    const token = query.nextToken;
    if (Array.isArray(token)) throw restError(400, 'InvalidNextToken', 'One nextToken.');
    const use = auditTokenUse('rest:audit-events', scope, search);
    let after;
    try {
      after = token === undefined ? undefined : auditCursorOf(this.tokens.open(use, token));
    } catch (error) {
      if (!(error instanceof InvalidPageToken)) throw error;
      throw restError(400, 'InvalidNextToken', error.message);
    }
    return this.audit.snapshot(async (reader, position) => {
      const rows = await reader.search(scope, { ...search, limit: limit + 1, after });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        position: formatCheckpoint(position),
        events: page.map(eventJson),
        ...(rows.length > limit && last ? { nextToken: this.tokens.issue(use, auditCursorBytes(last)) } : {}),
      };
    });
  }

  /** Every record of a search, streamed: memory stays flat whatever the size. */
  @Get('export')
  @AuditExportDoc()
  async export(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('region') region: string,
    @Query() query: AuditQuery,
  ): Promise<void> {
    const scope = await this.scopeOf(req, region);
    const filters = auditFiltersOf(query);
    const order = orderOf(query);
    const format = formatOf(query);
    const lines = exportLines(this.audit, scope, { ...filters, order }, format);
    // The first page before the headers: a search that fails then answers as an error, through the
    // exception filters, instead of a 200 cut short (or a framework error body) once streaming began.
    const first = await lines.next();
    reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
      .header('content-disposition', `attachment; filename="audit-events.${format === 'csv' ? 'csv' : 'jsonl'}"`)
      .send(Readable.from(resumed(first, lines)));
  }

  private async scopeOf(req: FastifyRequest, region: string): Promise<Scope> {
    // Who asks first: a caller without credentials learns nothing, not even that a Region is unknown.
    const principal = await this.callers.of(req);
    if (!REGION.test(region)) throw restError(400, 'InvalidRegion', `Unknown Region ${region}.`);
    const scope = { accountId: principal.accountId, region };
    requireAction(principal, QUERY_ACTIONS.readAudit, auditArn(scope));
    return scope;
  }
}

async function* exportLines(
  reader: AuditEventsReader,
  scope: Scope,
  search: AuditFilters & { order: 'newest' | 'oldest' },
  format: 'jsonl' | 'csv',
): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader();
  let after: AuditEventView | undefined;
  for (;;) {
    const page = await reader.search(scope, { ...search, limit: EXPORT_PAGE, after });
    for (const view of page) yield format === 'csv' ? csvLine(view) : jsonLine(view);
    if (page.length < EXPORT_PAGE) return;
    after = page.at(-1);
  }
}

/** `rest`, with the result already taken from it in front. */
async function* resumed<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (first.done) return;
  yield first.value;
  yield* rest;
}
