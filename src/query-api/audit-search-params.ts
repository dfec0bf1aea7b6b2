import { restError } from '../api-errors/rest-error';
import type { AuditFilters } from '../projections/audit/audit-events.reader';

export const MAX_AUDIT_PAGE = 1000;

/** The query string of an audit search, as sent. */
export type AuditQuery = Partial<Record<string, string | string[]>>;

const bad = (code: string, message: string) => restError(400, code, message);

/** One value per parameter: a repeated one is refused rather than half-used. */
function single(query: AuditQuery, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw bad('InvalidParameter', `\`${name}\` may be given once.`);
  if (value !== undefined && value.length > 2048) throw bad('InvalidParameter', `\`${name}\` is too long.`);
  return value;
}

/** A parameter that may be repeated (`eventName=Encrypt&eventName=Decrypt`): any of its values. */
function several(query: AuditQuery, name: string): string[] | undefined {
  const value = query[name];
  if (!Array.isArray(value)) return undefined;
  if (value.length > 50) throw bad('InvalidParameter', `\`${name}\` may be given at most 50 times.`);
  if (value.some((v) => v.length > 2048)) throw bad('InvalidParameter', `\`${name}\` is too long.`);
  return value;
}

function timeParam(query: AuditQuery, name: string): Date | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time.getTime()))
    throw bad('InvalidTime', `\`${name}\` must be an ISO 8601 date-time.`);
  return time;
}

/**
 * The filters of GET /api/regions/{region}/audit-events and its export: any combination of event
 * names (repeat `eventName` for any of several), user name, alias (calls through it or about it),
 * key, access key id, source IP, error code (`*`: any failure), read-only and an inclusive time range.
 */
export function auditFiltersOf(query: AuditQuery): AuditFilters {
  const readOnly = single(query, 'readOnly');
  if (readOnly !== undefined && readOnly !== 'true' && readOnly !== 'false')
    throw bad('InvalidParameter', '`readOnly` must be true or false.');
  const alias = single(query, 'alias');
  if (alias !== undefined && !alias.startsWith('alias/') && !/^arn:[^:]+:kms:[^:]*:\d{12}:alias\//.test(alias))
    throw bad('InvalidAliasName', '`alias` must be an alias name (alias/…) or an alias ARN.');
  const keyId = single(query, 'keyId');
  const startTime = timeParam(query, 'startTime');
  const endTime = timeParam(query, 'endTime');
  if (startTime && endTime && startTime > endTime)
    throw bad('InvalidTimeRange', '`startTime` must not be after `endTime`.');
  const eventNames = several(query, 'eventName');
  const filters: Record<string, unknown> = {
    ...(eventNames ? { eventNames } : { eventName: single(query, 'eventName') }),
    username: single(query, 'username'),
    alias,
    resources: keyId === undefined ? undefined : [keyId],
    accessKeyId: single(query, 'accessKeyId'),
    sourceIp: single(query, 'sourceIp'),
    errorCode: single(query, 'errorCode'),
    readOnly: readOnly === undefined ? undefined : readOnly === 'true',
    // CloudTrail's other lookup attributes; a value no record can have matches none (the reader's rule).
    eventId: single(query, 'eventId'),
    eventSource: single(query, 'eventSource'),
    resourceType: single(query, 'resourceType'),
    startTime,
    endTime,
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as AuditFilters;
}

export function pageSizeOf(query: AuditQuery): number {
  const limit = single(query, 'limit');
  const size = limit === undefined ? 100 : Number(limit);
  if (!Number.isInteger(size) || size < 1 || size > MAX_AUDIT_PAGE)
    throw bad('InvalidLimit', `limit must be 1 to ${MAX_AUDIT_PAGE}.`);
  return size;
}

export function orderOf(query: AuditQuery): 'newest' | 'oldest' {
  const order = single(query, 'order') ?? 'newest';
  if (order !== 'newest' && order !== 'oldest') throw bad('InvalidParameter', '`order` must be newest or oldest.');
  return order;
}

export function formatOf(query: AuditQuery): 'jsonl' | 'csv' {
  const format = single(query, 'format') ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') throw bad('InvalidParameter', '`format` must be jsonl or csv.');
  return format;
}
