import { type AuditEventView, recordText } from '../projections/audit/audit-event-view';

/**
 * One event of a LookupEvents answer (docs/kms-behaviour.md#lookupevents): the summary and the whole
 * record as a string.
 */
export function lookupEventOf(view: AuditEventView): Record<string, unknown> {
  return {
    EventId: view.eventId,
    EventName: view.eventName,
    ReadOnly: String(view.readOnly),
    ...(view.accessKeyId ? { AccessKeyId: view.accessKeyId } : {}),
    // Whole seconds, as the record's eventTime shows.
    EventTime: Math.floor(view.eventTime.getTime() / 1000),
    EventSource: String(view.record.eventSource),
    ...(view.username ? { Username: view.username } : {}),
    Resources: view.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.ARN })),
    CloudTrailEvent: recordText(view),
  };
}
