import type { AuditFilters } from '../projections/audit/audit-events.reader';
import { KmsError } from '../kms/domain/kms-error';

/**
 * A LookupEvents request read and checked (docs/kms-behaviour.md#lookupevents); `none` when it can
 * match nothing.
 */
export interface LookupRequest {
  readonly filters: AuditFilters;
  readonly none: boolean;
  readonly maxResults: number;
  readonly nextToken: string | undefined;
}

const ATTRIBUTE_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

const serialization = (message: string) => new KmsError('SerializationException', message);
const invalidAttributes = (message: string) => new KmsError('InvalidLookupAttributesException', message);

function epochTime(value: unknown, member: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw serialization(`${member} must be a timestamp.`);
  const time = new Date(value * 1000);
  if (Number.isNaN(time.getTime())) throw serialization(`${member} must be a timestamp.`);
  return time;
}

/**
 * Reads LookupEvents' members: at most one lookup attribute of the eight kinds, an inclusive time
 * range in epoch seconds, MaxResults 1–50 (default 50), EventCategory (only `insight`, of which
 * aliastrail has none).
 */
export function parseLookupRequest(body: unknown): LookupRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw serialization('The request body must be a JSON object.');
  const input = body as Record<string, unknown>;
  const attributes = input.LookupAttributes ?? [];
  if (!Array.isArray(attributes)) throw serialization('LookupAttributes must be a list.');
  if (attributes.length > 1) throw invalidAttributes('You cannot specify more than one lookup attribute.');
  const filters: Record<string, unknown> = {};
  let none = false;
  const attribute = attributes[0] as Record<string, unknown> | undefined;
  if (attribute !== undefined) {
    if (typeof attribute !== 'object' || attribute === null)
      throw serialization('A lookup attribute must be an object.');
    const { AttributeKey: key, AttributeValue: value } = attribute;
    if (typeof key !== 'string' || !(ATTRIBUTE_KEYS as readonly string[]).includes(key))
      throw invalidAttributes(`Invalid attribute key: ${String(key)}`);
    if (typeof value !== 'string' || value.length < 1 || value.length > 2000)
      throw invalidAttributes('AttributeValue must be 1 to 2000 characters.');
    switch (key as (typeof ATTRIBUTE_KEYS)[number]) {
      case 'EventId':
        filters.eventId = value;
        break;
      case 'EventName':
        filters.eventName = value;
        break;
      case 'ReadOnly':
        if (value !== 'true' && value !== 'false') throw invalidAttributes('ReadOnly must be true or false.');
        filters.readOnly = value === 'true';
        break;
      case 'Username':
        filters.username = value;
        break;
      case 'ResourceType':
        filters.resourceType = value;
        break;
      case 'ResourceName':
        filters.resources = [value];
        break;
      case 'EventSource':
        // KMS's records, and the console's sign-ins (ConsoleLogin); any other service's: none.
        if (value === 'kms.amazonaws.com' || value === 'signin.amazonaws.com') filters.eventSource = value;
        else none = true;
        break;
      case 'AccessKeyId':
        filters.accessKeyId = value;
        break;
    }
  }
  const startTime = epochTime(input.StartTime, 'StartTime');
  const endTime = epochTime(input.EndTime, 'EndTime');
  if (startTime && endTime && startTime > endTime)
    throw new KmsError('InvalidTimeRangeException', 'Start time must be before end time.');
  if (startTime) filters.startTime = startTime;
  // Records show whole seconds: an end time includes every event within its second.
  if (endTime) filters.endTime = new Date(Math.floor(endTime.getTime() / 1000) * 1000 + 999);
  const category = input.EventCategory;
  if (category !== undefined && category !== null) {
    if (category !== 'insight') throw new KmsError('InvalidEventCategoryException', 'Invalid EventCategory.');
    none = true;
  }
  const maxResults = input.MaxResults ?? 50;
  if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50)
    throw new KmsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  const nextToken = input.NextToken;
  if (nextToken !== undefined && nextToken !== null && typeof nextToken !== 'string')
    throw serialization('NextToken must be a string.');
  return { filters: filters as AuditFilters, none, maxResults, nextToken: nextToken ?? undefined };
}
