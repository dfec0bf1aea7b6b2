/** An event as a writer hands it to the store. The id comes from the caller, so a retry can reuse it. */
export interface NewEvent<Data = unknown> {
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion?: number;
  /** Consistency tags; readers find an entity's history by them. */
  readonly tags: readonly string[];
  readonly data: Data;
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** When it happened, from the writer's injected clock. */
  readonly occurredAt: Date;
}

export interface StoredEvent<Data = unknown> {
  readonly position: bigint;
  readonly transactionId: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly tags: readonly string[];
  readonly data: Data;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly occurredAt: Date;
  readonly recordedAt: Date;
}

/**
 * An event of a unit's history: committed (a StoredEvent), or decided by an earlier unit of the
 * same batch and committing in the same transaction just before this unit's events.
 */
export interface HistoryEvent {
  /** Undefined for an event that commits with this unit's batch. */
  readonly position?: bigint;
  readonly eventId: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly tags: readonly string[];
  readonly data: unknown;
  readonly occurredAt: Date;
}

/**
 * Where a reader stands in the log. Readers move in (transactionId, position) order, which, read below
 * the snapshot barrier, never has a committed event appear behind it later.
 */
export interface Checkpoint {
  readonly transactionId: bigint;
  readonly position: bigint;
}

export interface AppendResult {
  /** One stored event per event appended, in the order given; replays return the first stored copy. */
  readonly events: readonly StoredEvent[];
  /** How many rows this call wrote (fewer than `events.length` when some event ids were stored already). */
  readonly written: number;
}
