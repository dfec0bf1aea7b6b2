import type { StoredEvent } from '../event-store/event.types';
import { type AuditHead, type AuditResource, auditPartOf } from './cloudtrail-record';
import { resourceNameOf } from './resource-names';

/**
 * One call's record as some of its events build it. `head` is missing when they are only events
 * that add resources to a call whose main event is not among them (a scheduled DeleteKey's aliases).
 */
export interface AuditEntry {
  readonly callId: string;
  /** The log position of the call's first event among those given. */
  readonly seq: bigint;
  readonly head: AuditHead | undefined;
  readonly resources: readonly AuditResource[];
  readonly resourceNames: readonly string[];
}

/** Groups events by call, in log order; each call's main event's resources come first. */
export function auditEntriesOf(events: readonly StoredEvent[]): AuditEntry[] {
  const calls = new Map<string, { seq: bigint; head?: AuditHead; first: AuditResource[]; rest: AuditResource[] }>();
  for (const event of events) {
    const part = auditPartOf(event);
    if (!part) continue;
    const call = calls.get(part.callId) ?? { seq: event.position, first: [], rest: [] };
    calls.set(part.callId, call);
    if (part.head && !call.head) {
      call.head = part.head;
      call.first.push(...part.resources);
    } else {
      call.rest.push(...part.resources);
    }
  }
  return [...calls].map(([callId, call]) => {
    const resources = [...new Map([...call.first, ...call.rest].map((r) => [r.ARN, r])).values()];
    return { callId, seq: call.seq, head: call.head, resources, resourceNames: resourceNamesOf(resources) };
  });
}

/** What a search by resource matches (alias names and key ids), each once: the `audit_events.resource_names`. */
export const resourceNamesOf = (resources: readonly AuditResource[]): string[] => [
  ...new Set(resources.map((r) => resourceNameOf(r.ARN))),
];
