import type { StoredEvent } from '../event-store/event.types';
import type { AuditPart, AuditResource } from './cloudtrail-record';
import { namedAliasesOf } from './named-aliases';

/** The event an imported CloudTrail record is (src/event-store/queries/imported-records.ts). */
export const IMPORTED_RECORD = 'CloudTrailRecordImported';

interface ImportedData {
  readonly accountId: string;
  readonly region: string;
  readonly eventName: string;
  /** The record's JSON text as the imported file had it. */
  readonly record: string;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * An imported record's audit part: the record itself, verbatim (an observed account's evidence is
 * shown as AWS logged it, not rebuilt), with the columns a search reads taken from it as the SQL view
 * audit_event_parts takes them (db/functions/audit_events.sql, its second branch): its twin.
 */
export function importedPart(event: StoredEvent): AuditPart {
  const data = event.data as ImportedData;
  const record = parsed(data.record);
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const scope = { accountId: data.accountId, region: data.region };
  // CloudTrail's requestParameters are lowerCamel (keyId); the API's members are KeyId.
  const params = (record.requestParameters ?? {}) as Record<string, unknown>;
  const named = namedAliasesOf(scope, {
    KeyId: params.keyId,
    SourceKeyId: params.sourceKeyId,
    DestinationKeyId: params.destinationKeyId,
  });
  // KMS records name keys and aliases, all of type AWS::KMS::Key in CloudTrail.
  const resources: AuditResource[] = (Array.isArray(record.resources) ? record.resources : [])
    .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && typeof r.ARN === 'string')
    .map((r) => ({
      accountId: text(r.accountId) ?? data.accountId,
      type: 'AWS::KMS::Key' as const,
      ARN: String(r.ARN),
    }));
  return {
    callId: event.eventId,
    head: {
      eventId: event.eventId,
      accountId: data.accountId,
      region: data.region,
      eventTime: event.occurredAt,
      eventName: data.eventName,
      readOnly: record.readOnly === true,
      username: text(identity.userName),
      accessKeyId: text(identity.accessKeyId),
      sourceIp: text(record.sourceIPAddress),
      errorCode: text(record.errorCode),
      principalArn: text(identity.arn),
      namedAliases: named,
      record,
      verbatim: data.record,
    },
    resources,
  };
}

/** The record as an object; {} for text that is not one (the import checked it; this never throws). */
function parsed(recordText: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(recordText);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
