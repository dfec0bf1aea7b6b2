import type { NewEvent } from '../event-store/event.types';

/** A record not yet written; `heldSince` (performance.now()) is set when a write first failed. */
export interface Queued {
  event: NewEvent;
  heldSince?: number;
}

/** What the health endpoint and /metrics show of the recorder; see AuditRecorder.status. */
export interface AuditRecorderStatus {
  /** Records a write could not store for now, waiting for a retry. */
  readonly held: number;
  /** How long the oldest of them has waited, in milliseconds; null when none is held. */
  readonly oldestHeldMs: number | null;
  /** Records the database refused even alone, set aside (logged, not stored) since start. */
  readonly setAside: number;
}
