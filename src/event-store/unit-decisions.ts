import type { HistoryEvent, NewEvent } from './event.types';
import { EventIdConflictError } from './event-id-conflict';

/* What a unit of work decided, as the batcher takes it: its events and the statements that go with them. */

/**
 * A unit's events, and statements on its feature's own tables that must commit or roll back with
 * them (KMS key material: written with the event that creates it, deleted with the one that
 * deletes the key). They run after the append, in the same transaction, as written: the feature
 * quotes its values (quoteLiteral), since the round trip is a simple-protocol string.
 */
export interface UnitWrites {
  readonly events: readonly NewEvent[];
  readonly alongside: readonly string[];
}

export function writesOf(decided: readonly NewEvent[] | UnitWrites | void): {
  events: NewEvent[];
  alongside: readonly string[];
} {
  if (decided === undefined) return { events: [], alongside: [] };
  if ('alongside' in decided) {
    // Statements ride with events only: a row written without the event that explains it is refused.
    if (decided.events.length === 0 && decided.alongside.length > 0)
      throw new Error('a unit of work returned statements without events');
    return { events: [...decided.events], alongside: decided.alongside };
  }
  return { events: [...(decided as readonly NewEvent[])], alongside: [] };
}

export function historyOf(history: readonly HistoryEvent[], tags: readonly string[]): HistoryEvent[] {
  return history.filter((event) => event.tags.some((tag) => tags.includes(tag)));
}

export function pendingEvent({ eventId, type, schemaVersion, tags, data, occurredAt }: NewEvent): HistoryEvent {
  return { eventId, type, schemaVersion: schemaVersion ?? 1, tags, data, occurredAt };
}

export function assertDistinctIds(events: readonly NewEvent[]): void {
  const ids = events.map((event) => event.eventId.toLowerCase());
  if (new Set(ids).size !== ids.length)
    throw new EventIdConflictError('the same event id appears twice in one unit of work');
}
