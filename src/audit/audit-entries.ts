import type { StoredEvent } from '../event-store/event.types';
import { type AuditHead, type AuditResource, auditPartOf } from './cloudtrail-record';

/**
 * One call's audit row as a batch of events builds it. `head` is missing when the batch holds only
 * events that add resources to a call whose main event came in an earlier batch (a scheduled
 * DeleteKey whose aliases went in the next batch): the store merges it into that call's row.
 */
export interface AuditEntry {
  readonly callId: string;
  /** The log position of the call's first event in this batch. */
  readonly seq: bigint;
  readonly head: AuditHead | undefined;
  readonly resources: readonly AuditResource[];
  readonly resourceNames: readonly string[];
}

/** Groups a batch's events by call, in log order; each call's main event's resources come first. */
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

/** What a search by resource matches: the ARN, and the alias name or key id it ends with. */
export function resourceNamesOf(resources: readonly AuditResource[]): string[] {
  const names = new Set<string>();
  for (const { ARN } of resources) {
    names.add(ARN);
    const resource = ARN.split(':').slice(5).join(':');
    names.add(resource.startsWith('key/') ? resource.slice('key/'.length) : resource);
  }
  return [...names];
}
