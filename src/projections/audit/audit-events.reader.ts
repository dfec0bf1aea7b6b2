import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import type { AuditCursor } from '../../audit/audit-page-token';
import { KYSELY } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import { START } from '../../event-store/checkpoint';
import type { Checkpoint } from '../../event-store/event.types';
import { eventsAtPositions } from '../../event-store/queries/audit-reads';
import type { Scope } from '../../kms/domain/identifiers';
import { lockProjectionForRead } from '../rebuild/projection-read-lock';
import { type AuditEventView, type AuditRow, auditEventViewOf } from './audit-event-view';
import { AUDIT, AUDIT_TABLES } from './audit-events.projection';
import { type AliasSpan, type AliasUsageCount, aliasUsageOf } from './alias-usage';
import { auditSearchConditions } from './audit-search-conditions';

/** Filters of an audit search; all given ones must hold. */
export interface AuditFilters {
  readonly eventId?: string;
  readonly eventName?: string;
  /** Any of these operations. */
  readonly eventNames?: readonly string[];
  readonly username?: string;
  /** Alias names, key ids or their ARNs the record's resources must all include. */
  readonly resources?: readonly string[];
  /**
   * An alias name or ARN the call named as its key (named_aliases: the crypto calls through it) or
   * lists among its resources (the alias's own management calls).
   */
  readonly alias?: string;
  readonly resourceType?: string;
  readonly accessKeyId?: string;
  readonly sourceIp?: string;
  /** An exception name, or `*` for any failed call. */
  readonly errorCode?: string;
  readonly readOnly?: boolean;
  /**
   * The service that logged the record: kms.amazonaws.com (every record but ConsoleLogin) or
   * signin.amazonaws.com (ConsoleLogin, the console's sign-ins).
   */
  readonly eventSource?: string;
  /** Inclusive bounds on the event time. */
  readonly startTime?: Date;
  readonly endTime?: Date;
}

export interface AuditSearch extends AuditFilters {
  readonly order: 'newest' | 'oldest';
  readonly limit: number;
  readonly after?: AuditCursor;
}

/**
 * Searches of the `audit` projection: newest first by default, keyset-paginated on (event time, seq).
 * A page is two reads: the matching rows, then the events their records are built from.
 */
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
    const where = auditSearchConditions(scope, search);
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
    const { rows } = await sql<{ seq: string; event_time: Date; positions: string[] }>`
      SELECT seq, event_time, positions
        FROM audit_events
       WHERE ${sql.join(where, sql` AND `)}
       ORDER BY ${newest ? sql`event_time DESC, seq DESC` : sql`event_time, seq`}
       LIMIT ${search.limit}`.execute(this.db);
    const page: AuditRow[] = rows.map((row) => ({
      seq: BigInt(row.seq),
      eventTime: row.event_time,
      positions: row.positions.map(BigInt),
    }));
    const events = await eventsAtPositions(
      this.db,
      page.flatMap((row) => row.positions),
    );
    return page.map((row) => auditEventViewOf(row, events));
  }

  /** The accounts and Regions that have records (`accountId`: of that account only), in order. */
  async scopes(accountId?: string): Promise<Scope[]> {
    const { rows } = await sql<{ account_id: string; region: string }>`
      SELECT DISTINCT account_id, region FROM audit_events
       ${accountId === undefined ? sql`` : sql`WHERE account_id = ${accountId}`}
       ORDER BY account_id, region`.execute(this.db);
    return rows.map((r) => ({ accountId: r.account_id, region: r.region }));
  }

  /** The calls through an alias, per version, operation and caller (alias-usage.ts). */
  aliasUsage(scope: Scope, aliasName: string, spans: readonly AliasSpan[]): Promise<AliasUsageCount[]> {
    return aliasUsageOf(this.db, scope, aliasName, spans);
  }
}
