import type { NewEvent, StoredEvent } from './event.types';

/** A row of `events` as pg returns it (int8 and xid8 as decimal strings). */
export interface EventRow {
  position: string;
  transaction_id: string;
  event_id: string;
  type: string;
  schema_version: number;
  tags: string[];
  data: unknown;
  metadata: Record<string, unknown>;
  occurred_at: Date;
  recorded_at: Date;
}

export const EVENT_COLUMNS =
  'position, transaction_id, event_id, type, schema_version, tags, data, metadata, occurred_at, recorded_at';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: BigInt(row.position),
    transactionId: BigInt(row.transaction_id),
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    tags: row.tags,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}

/**
 * The insertable form. jsonb values are sent as JSON text: pg would turn a top-level JS array into a
 * PostgreSQL array literal instead.
 */
export function toInsertRow(event: NewEvent) {
  return {
    event_id: event.eventId,
    type: event.type,
    schema_version: event.schemaVersion ?? 1,
    tags: [...event.tags],
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata ?? {}),
    occurred_at: event.occurredAt,
  };
}

/** Equality of two JSON values, ignoring key order (jsonb does not keep it). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && sameJson((a as never)[key], (b as never)[key]));
}
