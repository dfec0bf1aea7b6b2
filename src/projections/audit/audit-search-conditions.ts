import { type RawBuilder, sql } from 'kysely';
import { searchedNameOf } from '../../audit/resource-names';
import { positionOfEventIdSql } from '../../event-store/queries/audit-reads';
import type { Scope } from '../../kms/domain/identifiers';
import type { AuditFilters } from './audit-events.reader';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The services whose records the trail holds: KMS's, and the console sign-ins' (ConsoleLogin). */
const KMS_SOURCE = 'kms.amazonaws.com';
const SIGN_IN_SOURCE = 'signin.amazonaws.com';
const CONSOLE_LOGIN = 'ConsoleLogin';

/** Every resource of a record is typed so, aliases included (docs/kms-behaviour.md#cloudtrail-records). */
const RESOURCE_TYPE = 'AWS::KMS::Key';

/**
 * The WHERE clauses of an audit search over `audit_events`; undefined when a filter can match
 * nothing (a malformed event id, an ARN outside the caller's scope, an alias filter that is no
 * alias, a resource type no record has).
 */
export function auditSearchConditions(scope: Scope, f: AuditFilters): RawBuilder<unknown>[] | undefined {
  const where = [
    // The indexes lead with the hash; two scopes could share it.
    sql`scope = audit_scope(${scope.accountId}, ${scope.region})`,
    sql`account_id = ${scope.accountId}`,
    sql`region = ${scope.region}`,
  ];
  if (f.eventId !== undefined) {
    if (!UUID.test(f.eventId)) return undefined;
    // A record's eventID is its head event's id, and the row's seq that event's position.
    where.push(sql`seq = ${positionOfEventIdSql(f.eventId.toLowerCase())}`);
  }
  if (f.eventName !== undefined) where.push(sql`event_name = ${f.eventName}`);
  if (f.eventNames !== undefined) where.push(sql`event_name = ANY(${f.eventNames}::text[])`);
  if (f.username !== undefined) where.push(sql`username = ${f.username}`);
  if (f.resources?.length) {
    const names = f.resources.map((term) => searchedNameOf(scope, term));
    if (names.some((name) => name === undefined)) return undefined;
    where.push(sql`resource_names @> ${names}::text[]`);
  }
  if (f.alias !== undefined) {
    const name = searchedNameOf(scope, f.alias);
    if (name === undefined || !name.startsWith('alias/')) return undefined;
    // Two GIN indexes, one bitmap: the calls through the alias, and those about it.
    where.push(sql`(named_aliases @> ARRAY[${name}]::text[] OR resource_names @> ARRAY[${name}]::text[])`);
  }
  if (f.resourceType !== undefined) {
    if (f.resourceType !== RESOURCE_TYPE) return undefined;
    where.push(sql`cardinality(resource_names) > 0`);
  }
  if (f.accessKeyId !== undefined) where.push(sql`access_key_id = ${f.accessKeyId}`);
  if (f.sourceIp !== undefined) where.push(sql`source_ip = ${f.sourceIp}`);
  if (f.errorCode === '*') where.push(sql`error_code IS NOT NULL`);
  else if (f.errorCode !== undefined) where.push(sql`error_code = ${f.errorCode}`);
  if (f.readOnly !== undefined) where.push(sql`read_only = ${f.readOnly}`);
  if (f.eventSource === SIGN_IN_SOURCE) where.push(sql`event_name = ${CONSOLE_LOGIN}`);
  else if (f.eventSource === KMS_SOURCE) where.push(sql`event_name <> ${CONSOLE_LOGIN}`);
  else if (f.eventSource !== undefined) return undefined;
  if (f.startTime) where.push(sql`event_time >= ${f.startTime}`);
  if (f.endTime) where.push(sql`event_time <= ${f.endTime}`);
  return where;
}
