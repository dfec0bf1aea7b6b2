import { observedCauseOf, observedChangeOf, observedTagsOf } from '../kms/domain/observed-change';
import type { FileShape } from './record-splitter';

/** A KMS record worth keeping: what an observed account's event is made of, and the record verbatim. */
export interface KmsRecord {
  readonly kind: 'kms';
  /** CloudTrail's eventID: the event's id, so that importing it again adds nothing. */
  readonly eventId: string;
  readonly eventTime: Date;
  readonly eventName: string;
  readonly accountId: string;
  readonly region: string;
  /** The record's JSON text exactly as the file had it (for lookup-events output, CloudTrailEvent). */
  readonly text: string;
  /** A record that changed an alias or a key: the tags of what it changed, and who did it (observed-change.ts). */
  readonly change?: { readonly tags: readonly string[]; readonly cause: Record<string, unknown> };
}

/** Another service's record: counted, not kept. */
export interface OtherRecord {
  readonly kind: 'other';
}

/** A record that cannot be read as CloudTrail, with why. */
export class RecordError extends Error {}

const KMS_SOURCE = 'kms.amazonaws.com';
const KMS_BYTES = Buffer.from(KMS_SOURCE, 'utf8');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const OTHER: OtherRecord = { kind: 'other' };

/**
 * What one record of a file is. Most of a trail is other services' records: a record whose bytes do
 * not mention kms.amazonaws.com is one, known without parsing it. The rest are parsed and checked:
 * a KMS record must say which event it is (eventID), when (eventTime), what (eventName), in which
 * account (recipientAccountId, else userIdentity.accountId) and Region (awsRegion).
 */
export function readRecord(bytes: Buffer, shape: FileShape): KmsRecord | OtherRecord {
  if (bytes.indexOf(KMS_BYTES) < 0) return OTHER;
  const parsed = parse(bytes.toString('utf8'));
  let text: string;
  let record: Record<string, unknown>;
  if (shape === 'events' || typeof parsed.CloudTrailEvent === 'string') {
    // lookup-events output: the record is the CloudTrailEvent string.
    if (typeof parsed.CloudTrailEvent !== 'string') throw new RecordError('an Events entry without CloudTrailEvent');
    text = parsed.CloudTrailEvent;
    record = parse(text);
  } else {
    text = bytes.toString('utf8').trim();
    record = parsed;
  }
  if (record.eventSource !== KMS_SOURCE) {
    if (typeof record.eventSource !== 'string') throw new RecordError('no eventSource');
    return OTHER;
  }
  const eventId = field(record, 'eventID');
  if (!UUID.test(eventId)) throw new RecordError(`eventID ${JSON.stringify(eventId)} is not a UUID`);
  const time = field(record, 'eventTime');
  const eventTime = new Date(time);
  if (!ISO_TIME.test(time) || Number.isNaN(eventTime.getTime()))
    throw new RecordError(`eventTime ${JSON.stringify(time)} is not an ISO 8601 UTC time`);
  const identity = record.userIdentity as Record<string, unknown> | undefined;
  const accountId = typeof record.recipientAccountId === 'string' ? record.recipientAccountId : identity?.accountId;
  if (typeof accountId !== 'string' || !ACCOUNT.test(accountId))
    throw new RecordError('no account: recipientAccountId (or userIdentity.accountId) is missing or not 12 digits');
  const region = field(record, 'awsRegion');
  if (!REGION.test(region)) throw new RecordError(`awsRegion ${JSON.stringify(region)} is not a Region`);
  const change = observedChangeOf(record);
  return {
    kind: 'kms',
    eventId: eventId.toLowerCase(),
    eventTime,
    eventName: field(record, 'eventName'),
    accountId,
    region,
    text,
    ...(change && { change: { tags: observedTagsOf(accountId, region, change), cause: observedCauseOf(record) } }),
  };
}

function parse(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RecordError(`not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordError('not a JSON object');
  return value as Record<string, unknown>;
}

function field(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  if (typeof value !== 'string' || value === '') throw new RecordError(`no ${name}`);
  return value;
}
