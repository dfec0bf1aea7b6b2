import { quoteLiteral } from '../database/quote-literal';
import { HISTORY_JSON } from './event-rows';
import { storableJson } from './storable-json';
import type { NewEvent } from './event.types';

/**
 * SQL of a unit of work's two round trips. Both are sent as simple-protocol multi-statement strings
 * (which cannot carry parameters), so values are embedded as literals quoted as pg's escapeLiteral does (quoteLiteral):
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
    `SELECT ${HISTORY_JSON} FROM events_lock_and_read(ARRAY[${tags.map(quoteLiteral).join(',')}]::text[])`
  );
}

/**
 * Round trip 2: append the events, run the statements that go with them (UnitWrites), commit. The
 * append comes first (after `begin`, when the unit had no round trip 1), so a replayed unit fails
 * on its event ids (the replay path) before any of its statements could.
 */
export function appendAndCommitSql(
  events: readonly NewEvent[],
  alongside: readonly string[] = [],
  begin: readonly string[] = [],
): string {
  return [
    ...begin,
    `SELECT * FROM events_append(${quoteLiteral(eventsJson(events))}::jsonb)`,
    ...alongside,
    'COMMIT',
  ].join('; ');
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
