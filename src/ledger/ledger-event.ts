import { canonicalJson } from './canonical-json';
import { canonicalJsonbText } from './canonical-bytes';
import { type Micros, isoMicros, microsSql } from './micro-time';

/**
 * A stored event as the ledger reads it: every column of `events`, nothing rounded on the way
 * (jsonb as the JSON text PostgreSQL prints, instants in microseconds).
 */
export interface LedgerEventRow {
  readonly position: string;
  readonly transactionId: string;
  readonly eventId: string;
  readonly schemaVersion: number;
  /** Epoch microseconds; text only for a time that is no number (`infinity`), as PostgreSQL prints it. */
  readonly occurredAt: Micros | string;
  readonly recordedAt: Micros | string;
  readonly type: string;
  /** The tags array as JSON reads it (NULL elements as null). */
  readonly tags: unknown;
  readonly dataJson: string;
  readonly metadataJson: string;
}

/**
 * SQL for one event (aliased `e`) as one line of tab-separated fields: position, transaction id,
 * event id, schema version, occurred at and recorded at (epoch microseconds), type and tags (JSON),
 * data and metadata (jsonb's text). No field can hold a raw tab: the JSON texts escape control
 * characters inside strings and put only spaces between tokens, and the others are numbers and a
 * uuid. One text column per row, because pg parses each column of each row on its own. A column
 * NULLed by someone who dropped its constraint makes the line `?`, which then fails to parse: an
 * edit. The sequencer reads this way (inside its locked transaction); verify and export read the
 * same values in COPY's binary form (verify/binary-copy/binary-event.ts) into the same row.
 */
export const EVENT_LINE_SQL =
  `coalesce(e.position::text || E'\\t' || e.transaction_id::text || E'\\t' || e.event_id::text || E'\\t' || ` +
  `e.schema_version::text || E'\\t' || ${microsSql('e.occurred_at')} || E'\\t' || ${microsSql('e.recorded_at')} || E'\\t' || ` +
  `to_json(e.type)::text || E'\\t' || to_json(e.tags)::text || E'\\t' || e.data::text || E'\\t' || e.metadata::text, '?')`;

export function parseEventLine(line: string): LedgerEventRow {
  const fields = line.split('\t');
  if (fields.length !== 10) throw new SyntaxError(`an event line has 10 fields, not ${fields.length}`);
  const [
    position,
    transactionId,
    eventId,
    schemaVersion,
    occurredAt,
    recordedAt,
    typeJson,
    tagsJson,
    dataJson,
    metadataJson,
  ] = fields as [string, string, string, string, string, string, string, string, string, string];
  const type: unknown = JSON.parse(typeJson);
  if (typeof type !== 'string') throw new SyntaxError('the type is not a string');
  return {
    position,
    transactionId,
    eventId,
    schemaVersion: Number(schemaVersion),
    occurredAt: instantOf(occurredAt),
    recordedAt: instantOf(recordedAt),
    type,
    tags: JSON.parse(tagsJson),
    dataJson,
    metadataJson,
  };
}

/** Epoch microseconds in decimal as a number, when a double holds them exactly; anything else stays text. */
export function instantOf(text: string): Micros | string {
  return /^-?\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

/**
 * The exact text the ledger hashes for an event: RFC 8785 canonical JSON of every stored column
 * under its column name, so an edit of any of them changes the hash:
 *
 *   data, event_id, metadata, occurred_at, position, recorded_at, schema_version, tags,
 *   transaction_id, type
 *
 * position and transaction_id are decimal strings (int8 and xid8 do not fit a JSON number exactly),
 * instants are isoMicros strings, schema_version a number. Built by concatenation in that (sorted)
 * member order, with only data, metadata and tags canonicalised as JSON (data and metadata straight
 * from jsonb's text, jsonb-bytes.ts): the same text canonicalJson gives for the whole object (see
 * the spec), at a fraction of the cost.
 * `position` places the event elsewhere (to recognise an event that was moved).
 * Throws on a row that cannot be read as an event (someone wrote something else into it).
 */
export function canonicalEvent(row: LedgerEventRow, position: string = row.position): string {
  return (
    `{"data":${canonicalJsonbText(row.dataJson)}` +
    `,"event_id":${JSON.stringify(row.eventId)}` +
    `,"metadata":${canonicalJsonbText(row.metadataJson)}` +
    `,"occurred_at":${instantJson(row.occurredAt)}` +
    `,"position":"${decimal(position)}"` +
    `,"recorded_at":${instantJson(row.recordedAt)}` +
    `,"schema_version":${canonicalJson(row.schemaVersion)}` +
    `,"tags":${canonicalJson(row.tags)}` +
    `,"transaction_id":"${decimal(row.transactionId)}"` +
    `,"type":${JSON.stringify(row.type)}}`
  );
}

function instantJson(instant: Micros | string): string {
  return JSON.stringify(typeof instant === 'number' ? isoMicros(instant) : instant);
}

function decimal(text: string): string {
  if (!/^-?\d+$/.test(text)) throw new SyntaxError(`not a decimal integer: ${JSON.stringify(text)}`);
  return text;
}
