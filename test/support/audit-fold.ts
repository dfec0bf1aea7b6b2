import { type Kysely, sql } from 'kysely';
import { auditEntriesOf } from '../../src/audit/audit-entries';
import { auditPartOf } from '../../src/audit/cloudtrail-record';
import type { Database } from '../../src/database/database.types';
import type { StoredEvent } from '../../src/event-store/event.types';

type Row = Record<string, unknown>;

/**
 * Every row of `audit_events` by seq; the event time in microseconds, so that a time finer than the
 * paging cursor's milliseconds shows.
 */
export async function auditRows(db: Kysely<Database>): Promise<Row[]> {
  const { rows } = await sql<Row>`
    SELECT seq, call_id, account_id, region, (extract(epoch FROM event_time) * 1e6)::bigint::text AS event_time_us,
           event_name, read_only, username, access_key_id, source_ip, error_code, positions, resource_names,
           principal_arn, named_aliases
      FROM audit_events ORDER BY seq`.execute(db);
  return rows;
}

/**
 * The rows of `audit_events` as the records TypeScript builds from `events` (all of the log, in
 * log order) say they must be: what the SQL extraction is held to, written without it.
 */
export function foldAudit(events: readonly StoredEvent[]): Row[] {
  return auditEntriesOf(events)
    .filter((entry) => entry.head)
    .map(({ callId, seq, head, resourceNames }) => ({
      seq: seq.toString(),
      call_id: callId,
      account_id: head!.accountId,
      region: head!.region,
      event_time_us: String(head!.eventTime.getTime() * 1000),
      event_name: head!.eventName,
      read_only: head!.readOnly,
      username: head!.username,
      access_key_id: head!.accessKeyId,
      source_ip: head!.sourceIp,
      error_code: head!.errorCode,
      positions: events.filter((e) => auditPartOf(e)?.callId === callId).map((e) => e.position.toString()),
      resource_names: resourceNames,
      principal_arn: head!.principalArn,
      named_aliases: head!.namedAliases,
    }))
    .sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
}
