import { escapeLiteral } from 'pg';
import { HISTORY_JSON } from './event-rows';
import type { NewEvent } from './event.types';

/**
 * SQL of a unit of work's two round trips. Both are sent as simple-protocol multi-statement strings
 * (which cannot carry parameters), so values are embedded as literals quoted by pg's own escapeLiteral:
 * the tags one by one, the events as one JSON document that PostgreSQL unpacks.
 */

/** How every unit's transaction begins. */
export const BEGIN_UNIT = 'BEGIN ISOLATION LEVEL READ COMMITTED';

/**
 * Round trip 1: open the transaction, lock the tags, read their history. The history comes without
 * metadata: decisions never depend on who asked, and metadata is most of each row's bytes.
 */
export function openUnitSql(tags: readonly string[]): string {
  return (
    `${BEGIN_UNIT}; ` +
    `SELECT ${HISTORY_JSON} FROM events_lock_and_read(ARRAY[${tags.map(escapeLiteral).join(',')}]::text[])`
  );
}

/** What the database assigns to an appended event. */
export interface AppendedRow {
  event_id: string;
  position: string;
  transaction_id: string;
  recorded_at: Date;
}

/** Round trip 2: append the events and commit. */
export function appendAndCommitSql(events: readonly NewEvent[]): string {
  return `SELECT * FROM events_append(${escapeLiteral(eventsJson(events))}::jsonb); COMMIT`;
}

/** `\u0000` or a surrogate escape, after an even number of backslashes (so not itself escaped). */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/**
 * JSON text PostgreSQL can store: jsonb (and text) cannot hold U+0000, which a hostile request can
 * put in a parameter the audit metadata keeps, nor a lone UTF-16 surrogate (`invalid input syntax
 * for type json`), so each is stored as U+FFFD (the replacement character) rather than fail the
 * write. The audit paths replace and mark them before (audit/storable-value.ts); this is the last
 * line of defence for every other event. JSON.stringify writes a surrogate as an escape only when
 * it is lone (a pair goes out as itself), so every surrogate escape in its output is one to replace.
 * Only the escapes themselves are rewritten: a backslash-escaped backslash before `u0000` is the
 * literal text, left alone.
 */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value);
  return /\\u(?:0000|d[89a-f])/.test(text) ? text.replace(UNSTORABLE_ESCAPE, '$1\\ufffd') : text;
}

/** The events as one JSON document; `ord` keeps their order (positions follow it). */
export function eventsJson(events: readonly NewEvent[]): string {
  return storableJson(
    events.map((event, ord) => ({
      ord,
      event_id: event.eventId,
      type: event.type,
      schema_version: event.schemaVersion ?? 1,
      tags: event.tags,
      data: event.data,
      metadata: event.metadata ?? {},
      occurred_at: event.occurredAt.toISOString(),
    })),
  );
}
