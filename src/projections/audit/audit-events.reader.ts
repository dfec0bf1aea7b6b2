import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AuditCursor } from '../../audit/audit-page-token';
import type { AuditHead, AuditResource } from '../../audit/cloudtrail-record';
import { KYSELY } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import { START } from '../../event-store/checkpoint';
import type { Checkpoint } from '../../event-store/event.types';
import type { Scope } from '../../kms/identifiers';
import { lockProjectionForRead } from '../rebuild/projection-read-lock';
import { AUDIT, AUDIT_TABLES } from './audit-events.projection';

/** Filters of an audit search; all given ones must hold. */
export interface AuditFilters {
  readonly eventId?: string;
  readonly eventName?: string;
  readonly username?: string;
  /** Alias names, key ids or their ARNs the record's resources must all include. */
  readonly resources?: readonly string[];
  readonly resourceType?: string;
  readonly accessKeyId?: string;
  readonly sourceIp?: string;
  /** An exception name, or `*` for any failed call. */
  readonly errorCode?: string;
  readonly readOnly?: boolean;
  /** Inclusive bounds on the event time. */
  readonly startTime?: Date;
  readonly endTime?: Date;
}

export interface AuditSearch extends AuditFilters {
  readonly order: 'newest' | 'oldest';
  readonly limit: number;
  readonly after?: AuditCursor;
}

/** One call's record, with the columns a caller filters and pages on. */
export interface AuditEventView extends Omit<AuditHead, 'accountId' | 'region'> {
  readonly seq: bigint;
  readonly resources: readonly AuditResource[];
}

interface Row {
  seq: string;
  event_id: string;
  event_time: Date;
  event_name: string;
  read_only: boolean;
  username: string | null;
  access_key_id: string | null;
  source_ip: string | null;
  error_code: string | null;
  resources: AuditResource[];
  record: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Searches of the `audit` projection: newest first by default, keyset-paginated on (event time, seq). */
@Injectable()
export class AuditEventsReader {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /** Runs `work` on one snapshot, with the log position the projection reflects in it. */
  snapshot<T>(work: (reader: AuditEventsReader, position: Checkpoint) => Promise<T>): Promise<T> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        // Before the snapshot exists, so a rebuild's swap is seen whole or not at all.
        await lockProjectionForRead(trx, AUDIT_TABLES);
        const { rows } = await sql<{ transaction_id: string; position: string }>`
          SELECT transaction_id::text AS transaction_id, position FROM projection_checkpoints
           WHERE name = ${AUDIT}`.execute(trx);
        const row = rows[0];
        const position = row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : START;
        return work(new AuditEventsReader(trx), position);
      });
  }

  /** Up to `search.limit` records of the account and Region, after `search.after` in the order asked. */
  async search(scope: Scope, search: AuditSearch): Promise<AuditEventView[]> {
    const where = conditions(scope, search);
    if (where === undefined) return [];
    const newest = search.order === 'newest';
    if (search.after) {
      const { eventTime, seq } = search.after;
      where.push(
        newest
          ? sql`(event_time, seq) < (${eventTime}::timestamptz, ${seq.toString()}::bigint)`
          : sql`(event_time, seq) > (${eventTime}::timestamptz, ${seq.toString()}::bigint)`,
      );
    }
    const { rows } = await sql<Row>`
      SELECT seq, event_id, event_time, event_name, read_only, username, access_key_id, source_ip, error_code,
             resources, record
        FROM audit_events
       WHERE ${sql.join(where, sql` AND `)}
       ORDER BY ${newest ? sql`event_time DESC, seq DESC` : sql`event_time, seq`}
       LIMIT ${search.limit}`.execute(this.db);
    return rows.map(viewOf);
  }
}

/** The WHERE clauses of a search; undefined when a filter can match nothing (a malformed event id). */
function conditions(scope: Scope, f: AuditFilters): RawBuilder<unknown>[] | undefined {
  const where = [sql`account_id = ${scope.accountId}`, sql`region = ${scope.region}`];
  if (f.eventId !== undefined) {
    if (!UUID.test(f.eventId)) return undefined;
    where.push(sql`event_id = ${f.eventId.toLowerCase()}::uuid`);
  }
  if (f.eventName !== undefined) where.push(sql`event_name = ${f.eventName}`);
  if (f.username !== undefined) where.push(sql`username = ${f.username}`);
  if (f.resources?.length) where.push(sql`resource_names @> ${[...f.resources]}::text[]`);
  if (f.resourceType !== undefined) {
    where.push(sql`resources @> ${JSON.stringify([{ type: f.resourceType }])}::jsonb`);
  }
  if (f.accessKeyId !== undefined) where.push(sql`access_key_id = ${f.accessKeyId}`);
  if (f.sourceIp !== undefined) where.push(sql`source_ip = ${f.sourceIp}`);
  if (f.errorCode === '*') where.push(sql`error_code IS NOT NULL`);
  else if (f.errorCode !== undefined) where.push(sql`error_code = ${f.errorCode}`);
  if (f.readOnly !== undefined) where.push(sql`read_only = ${f.readOnly}`);
  if (f.startTime) where.push(sql`event_time >= ${f.startTime}`);
  if (f.endTime) where.push(sql`event_time <= ${f.endTime}`);
  return where;
}

function viewOf(row: Row): AuditEventView {
  // The record keeps spec §12's field order; resources go in after readOnly, where CloudTrail has them.
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row.record)) {
    record[name] = value;
    if (name === 'readOnly') record.resources = row.resources;
  }
  return {
    seq: BigInt(row.seq),
    eventId: row.event_id,
    eventTime: row.event_time,
    eventName: row.event_name,
    readOnly: row.read_only,
    username: row.username,
    accessKeyId: row.access_key_id,
    sourceIp: row.source_ip,
    errorCode: row.error_code,
    resources: row.resources,
    record,
  };
}
