import { Injectable } from '@nestjs/common';
import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint, StoredEvent } from '../../event-store/event.types';
import type { Projection } from '../projection';

/** The projection's checkpoint name. */
export const AUDIT = 'audit';

/** Its tables; readers lock them first (lockProjectionForRead). */
export const AUDIT_TABLES = ['audit_events'] as const;

/** Events add resources to calls the model has no row for: the log and the model disagree. */
export class AuditMismatch extends Error {}

const orphaned = (calls: readonly string[]) =>
  new AuditMismatch(`resources for calls with no record: ${calls.join(', ')}`);

/**
 * The `audit` projection (tables: db/migrations/0010_audit_slim.sql; functions: db/functions/audit_events.sql): one row per API call, with what a
 * search filters and sorts on and the positions of the call's events; readers build the CloudTrail
 * record from those events (audit-event-view.ts). The rows come from the view audit_event_parts,
 * the SQL twin of auditPartOf, through the functions audit_events_apply and audit_events_load: only
 * positions cross from Node, and a batch is one statement whatever its size.
 */
@Injectable()
export class AuditEventsProjection implements Projection {
  readonly name = AUDIT;
  readonly tables = AUDIT_TABLES;
  /** Positions only: audit_events_apply reads the events themselves, inside the database. */
  readonly reads = [] as const;

  async apply(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { rows } = await sql<{ orphans: string[] }>`
      SELECT audit_events_apply(${events.map((e) => e.position.toString())}::bigint[]) AS orphans`.execute(trx);
    if (rows[0]!.orphans.length > 0) throw orphaned(rows[0]!.orphans);
  }

  /** Every call with events at or before `through`, set-based: the rows `apply` leaves batch after batch. */
  async load(trx: Transaction<Database>, through: Checkpoint): Promise<number> {
    const [tx, position] = [through.transactionId.toString(), through.position.toString()];
    const { rows } = await sql<{ covered: string; orphans: string[] }>`
      SELECT covered, orphans FROM audit_events_load(${tx}::xid8, ${position}::bigint)`.execute(trx);
    if (rows[0]!.orphans.length > 0) throw orphaned(rows[0]!.orphans);
    return Number(rows[0]!.covered);
  }
}
