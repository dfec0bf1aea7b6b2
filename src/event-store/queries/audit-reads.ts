import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import { EVENTS_JSON, parseEvents } from '../event-rows';
import type { StoredEvent } from '../event.types';

/**
 * The events an audit page's records are built from, by position, in the form EventStore.readAll
 * gives (the audit projection built the records from that form). In the event store, which owns
 * every statement on `events`; the audit reader (projections/audit) calls it.
 */
export async function eventsAtPositions(
  db: Kysely<Database>,
  positions: readonly bigint[],
): Promise<Map<bigint, StoredEvent>> {
  if (positions.length === 0) return new Map();
  const { rows } = await sql<{ events: string }>`
      SELECT ${sql.raw(EVENTS_JSON)} FROM events e
       WHERE e.position = ANY(${positions.map(String)}::bigint[])`.execute(db);
  return new Map(parseEvents(rows[0]!.events).map((event) => [event.position, event]));
}

/**
 * A scalar subquery: the position of the event with this id (NULL when none has it), for the audit
 * search's eventId filter, which compares it with a record's seq inside the search's one statement.
 * `eventId` must be lower-case (event ids are stored so).
 */
export function positionOfEventIdSql(eventId: string): RawBuilder<unknown> {
  return sql`(SELECT position FROM events WHERE event_id = ${eventId}::uuid)`;
}
