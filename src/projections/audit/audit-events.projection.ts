import { Injectable } from '@nestjs/common';
import { type Transaction, sql } from 'kysely';
import { auditEntriesOf } from '../../audit/audit-entries';
import type { Database } from '../../database/database.types';
import type { StoredEvent } from '../../event-store/event.types';
import type { Projection } from '../projection';

/** The projection's checkpoint name. */
export const AUDIT = 'audit';

/** Its tables; readers lock them first (lockProjectionForRead). */
export const AUDIT_TABLES = ['audit_events'] as const;

/** A batch's calls merge into rows that no longer exist: the log and the model disagree. */
export class AuditMismatch extends Error {}

/**
 * The `audit` projection (db/migrations/0006_audit_events.sql): one CloudTrail record per call,
 * built by the pure auditEntriesOf. A batch costs two statements whatever its size: the calls it
 * begins, and the resources it adds to calls begun in an earlier batch.
 */
@Injectable()
export class AuditEventsProjection implements Projection {
  readonly name = AUDIT;
  readonly tables = AUDIT_TABLES;

  async apply(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
    const entries = auditEntriesOf(events);
    const begun = entries.flatMap(({ callId, seq, head, resources, resourceNames }) =>
      head
        ? [
            {
              seq: seq.toString(),
              call_id: callId,
              event_id: head.eventId,
              account_id: head.accountId,
              region: head.region,
              event_time: head.eventTime.toISOString(),
              event_name: head.eventName,
              read_only: head.readOnly,
              username: head.username,
              access_key_id: head.accessKeyId,
              source_ip: head.sourceIp,
              error_code: head.errorCode,
              resource_names: resourceNames,
              record: head.record,
              resources,
            },
          ]
        : [],
    );
    const added = entries
      .filter((entry) => !entry.head)
      .map(({ callId, resources, resourceNames }) => ({ call_id: callId, resources, resource_names: resourceNames }));
    if (begun.length > 0) {
      // A call id that is already there is a second head for one call: the insert fails and the
      // projection stops on it rather than merge two calls.
      await sql`
        INSERT INTO audit_events (seq, call_id, event_id, account_id, region, event_time, event_name, read_only,
                                  username, access_key_id, source_ip, error_code, resource_names, record, resources)
        SELECT r.seq, r.call_id, r.event_id, r.account_id, r.region, r.event_time, r.event_name, r.read_only,
               r.username, r.access_key_id, r.source_ip, r.error_code, r.resource_names, r.record, r.resources
          FROM json_to_recordset(${JSON.stringify(begun)}::json) AS r(
            seq bigint, call_id text, event_id uuid, account_id text, region text, event_time timestamptz,
            event_name text, read_only boolean, username text, access_key_id text, source_ip text,
            error_code text, resource_names text[], record json, resources jsonb)`.execute(trx);
    }
    if (added.length > 0) {
      const { numAffectedRows } = await sql`
        UPDATE audit_events a
           SET resources = a.resources || r.resources,
               -- First occurrence order, as auditEntriesOf gives when the whole call is in one batch.
               resource_names = ARRAY(SELECT n FROM unnest(a.resource_names || r.resource_names) WITH ORDINALITY AS u(n, i)
                                       GROUP BY n ORDER BY min(i))
          FROM jsonb_to_recordset(${JSON.stringify(added)}::jsonb) AS r(call_id text, resources jsonb, resource_names text[])
         WHERE a.call_id = r.call_id`.execute(trx);
      if (Number(numAffectedRows ?? 0) !== added.length) {
        throw new AuditMismatch(`resources for calls with no record: ${added.map((a) => a.call_id).join(', ')}`);
      }
    }
  }
}
