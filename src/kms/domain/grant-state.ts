import type { GrantCreated, GrantEvent } from './grant-events';

/** A live grant: what created it and when. */
export interface GrantState {
  readonly grant: GrantCreated;
  readonly creationDate: Date;
}

/** Folds a key's grant events, in append order, into its live grants by grant id. */
export function foldGrants(
  events: readonly { readonly event: GrantEvent; readonly occurredAt: Date }[],
): Map<string, GrantState> {
  const grants = new Map<string, GrantState>();
  for (const { event, occurredAt } of events) {
    if (event.type === 'GrantCreated') grants.set(event.data.grantId, { grant: event.data, creationDate: occurredAt });
    else grants.delete(event.data.grantId);
  }
  return grants;
}
