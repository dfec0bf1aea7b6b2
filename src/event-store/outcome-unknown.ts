/**
 * A unit of work whose connection was lost after its events were decided: its transaction may
 * have committed or not. It carries the ids of those events, so that whoever records the failure
 * can look once the database is back (EventStore.storedEventIds) and not record, beside a write
 * that did commit, a failure of the same call. Code and message are the cause's, so that it still
 * reads as the database being unavailable.
 */
export class OutcomeUnknown extends Error {
  override readonly name = 'OutcomeUnknown';
  readonly code: unknown;

  constructor(
    override readonly cause: unknown,
    readonly eventIds: readonly string[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.code = (cause as { code?: unknown } | null)?.code;
  }
}

/** The event ids a failure's unit had decided when its outcome became unknown; none otherwise. */
export function unknownOutcomeEventIds(error: unknown): readonly string[] {
  return error instanceof OutcomeUnknown ? error.eventIds : [];
}
