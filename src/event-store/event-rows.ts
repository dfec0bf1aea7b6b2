import type { HistoryEvent, NewEvent, StoredEvent } from './event.types';
import { storableJson } from './storable-json';

/** What the database assigns to an appended event. */
export interface AppendedRow {
  event_id: string;
  position: string;
  transaction_id: string;
  recorded_at: Date;
}

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

/**
 * A unit's history as one JSON document of [position, event id, type, schema version, tags, data,
 * occurred at in epoch seconds] arrays: one JSON.parse instead of pg's per-column parsing of
 * text[], timestamptz and jsonb, which was the larger part of reading a busy key's history.
 */
export const HISTORY_JSON =
  `coalesce(json_agg(json_build_array(position::text, event_id, type, schema_version, tags, data, ` +
  `extract(epoch FROM occurred_at)) ORDER BY position), '[]')::text AS history`;

type HistoryTuple = [string, string, string, number, string[], unknown, number];

export function parseHistory(json: string): HistoryEvent[] {
  return historyOf(JSON.parse(json) as unknown[]);
}

/** The same, from the parsed document's array. */
export function historyOf(tuples: readonly unknown[]): HistoryEvent[] {
  return (tuples as HistoryTuple[]).map(([position, eventId, type, schemaVersion, tags, data, occurredAt]) => ({
    position: BigInt(position),
    eventId,
    type,
    schemaVersion,
    tags,
    data,
    occurredAt: new Date(Math.round(occurredAt * 1000)),
  }));
}

/**
 * Events with their metadata as one JSON document of [position, transaction id, event id, type,
 * schema version, tags, data, metadata, occurred at, recorded at (epoch seconds)] arrays, for the
 * same reason as HISTORY_JSON: catch-up reads and rebuilds move millions of rows, and pg's
 * per-column parsing (text[] and timestamptz above all) was most of a rebuild's time in Node.
 * Expects the rows as `e`.
 */
export const EVENTS_JSON =
  `coalesce(json_agg(json_build_array(e.position::text, e.transaction_id::text, e.event_id, e.type, ` +
  `e.schema_version, e.tags, e.data, e.metadata, extract(epoch FROM e.occurred_at), ` +
  `extract(epoch FROM e.recorded_at)) ORDER BY e.transaction_id, e.position), '[]')::text AS events`;

type EventTuple = [string, string, string, string, number, string[], unknown, Record<string, unknown>, number, number];

export function parseEvents(json: string): StoredEvent[] {
  return (JSON.parse(json) as EventTuple[]).map(
    ([position, transactionId, eventId, type, schemaVersion, tags, data, metadata, occurredAt, recordedAt]) => ({
      position: BigInt(position),
      transactionId: BigInt(transactionId),
      eventId,
      type,
      schemaVersion,
      tags,
      data,
      metadata,
      occurredAt: new Date(Math.round(occurredAt * 1000)),
      recordedAt: new Date(Math.round(recordedAt * 1000)),
    }),
  );
}

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
 * The stored form of an event just appended: the database's assignments plus the event as given
 * (normalised through JSON, as jsonb stores it), so the rows need not travel back.
 */
export function toAppendedEvent(event: NewEvent, row: AppendedRow): StoredEvent {
  return {
    position: BigInt(row.position),
    transactionId: BigInt(row.transaction_id),
    eventId: row.event_id,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    tags: [...event.tags],
    // As stored (storableJson), so that what the appender sees is what readers will.
    data: JSON.parse(storableJson(event.data)),
    metadata: JSON.parse(storableJson(event.metadata ?? {})),
    occurredAt: new Date(event.occurredAt.getTime()),
    recordedAt: row.recorded_at,
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
