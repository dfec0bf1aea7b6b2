import { auditEntriesOf } from '../../audit/audit-entries';
import type { AuditHead, AuditResource } from '../../audit/cloudtrail-record';
import type { StoredEvent } from '../../event-store/event.types';
import { AuditMismatch } from './audit-events.projection';

/**
 * One call's record, with the columns a caller filters and pages on; `verbatim`, an imported
 * record's text as AWS logged it, which answers give out as it is.
 */
export interface AuditEventView extends Omit<AuditHead, 'accountId' | 'region'> {
  readonly seq: bigint;
  readonly resources: readonly AuditResource[];
}

/** A row of `audit_events` as a page needs it: where it sorts, and the events its record is built from. */
export interface AuditRow {
  readonly seq: bigint;
  readonly eventTime: Date;
  /** In log order, head first. */
  readonly positions: readonly bigint[];
}

/**
 * The record of a row, built from its events by auditEntriesOf, the one definition of a record
 * (the row's columns came from the same events through audit_event_parts). It pages by the row's
 * seq and event time: those are what the search sorted on.
 */
export function auditEventViewOf(row: AuditRow, events: ReadonlyMap<bigint, StoredEvent>): AuditEventView {
  const own = row.positions.map((position) => {
    const event = events.get(position);
    if (!event) throw new AuditMismatch(`audit row ${row.seq} names event ${position}, which is not in the log`);
    return event;
  });
  const entries = auditEntriesOf(own);
  const head = entries[0]?.head;
  if (entries.length !== 1 || !head) throw new AuditMismatch(`audit row ${row.seq}: its events make no one record`);
  // Keys in the order records showed while the model kept resources as jsonb (shorter keys first),
  // so that a record is byte for byte what it was.
  // An imported record is shown as AWS logged it (its resources as they are in it).
  const resources = head.verbatim
    ? entries[0]!.resources
    : entries[0]!.resources.map(({ accountId, type, ARN }) => ({ ARN, type, accountId }));
  return {
    seq: row.seq,
    eventId: head.eventId,
    eventTime: row.eventTime,
    eventName: head.eventName,
    readOnly: head.readOnly,
    username: head.username,
    accessKeyId: head.accessKeyId,
    sourceIp: head.sourceIp,
    errorCode: head.errorCode,
    principalArn: head.principalArn,
    namedAliases: head.namedAliases,
    resources,
    record: head.verbatim ? head.record : withResources(head.record, resources),
    ...(head.verbatim ? { verbatim: head.verbatim } : {}),
  };
}

/**
 * The record in CloudTrail's field order: resources go in after readOnly, where CloudTrail has them.
 * A sign-in's record (ConsoleLogin) has none, and CloudTrail leaves the field out of it.
 */
function withResources(head: Record<string, unknown>, resources: readonly AuditResource[]): Record<string, unknown> {
  if (resources.length === 0 && head.eventSource === 'signin.amazonaws.com') return head;
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(head)) {
    record[name] = value;
    if (name === 'readOnly') record.resources = resources;
  }
  return record;
}

/** The record as JSON text: an imported one byte for byte as AWS logged it, any other as built. */
export const recordText = (view: AuditEventView): string => view.verbatim ?? JSON.stringify(view.record);
