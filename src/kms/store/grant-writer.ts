import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { IdGenerator } from '../../clock/id-generator';
import { EventStore } from '../../event-store/event-store';
import type { HistoryEvent } from '../../event-store/event.types';
import { nextEventTime } from '../domain/event-time';
import { type GrantEvent, grantEventOf, grantsTag } from '../domain/grant-events';
import type { GrantsOfKey } from '../domain/grant.decider';
import { foldGrants } from '../domain/grant-state';
import { keyTag, kmsEventOf } from '../domain/kms-events';
import { foldKms } from '../domain/kms-state';
import type { KmsRequest } from '../kms-request';
import { callMetadata } from './call-metadata';
import type { KeySummary } from './kms-unit-read';
import { KmsWriter } from './kms-writer';

/** What a grant unit decided: its events, and what the operation answers with. */
export interface GrantDecision<R> {
  readonly events: readonly GrantEvent[];
  readonly result: R;
}

/**
 * Runs one grant decision as a unit of work on a key: locks the key's tag (read summarised: its own
 * events, so its state) and its grants' tag (read whole), decides, and appends the grant events on
 * the grants' stream with the call's metadata. Locking the key serialises grants with the key's
 * deletion, so no grant is created on a key that a committed KeyDeleted removed, and the KeyDeleted
 * that comes after a grant deletes it (db/functions/kms_grants.sql).
 */
@Injectable()
export class GrantWriter {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    // Not used here: injected so that the KMS unit read is set before any grant unit runs.
    _kmsWriter: KmsWriter,
  ) {}

  async run<R>(
    request: KmsRequest,
    keyId: string,
    decide: (of: GrantsOfKey) => GrantDecision<R>,
  ): Promise<{ result: R; position?: bigint }> {
    const { scope } = request;
    const grants = grantsTag(scope, keyId);
    let result: R | undefined;
    const appended = await this.store.withConsistency(
      [keyTag(scope.accountId, scope.region, keyId), grants],
      async ({ history, summaries }) => {
        const { of, lastEventTime } = grantsOfKey(history, summaries, keyId);
        const decided = decide(of);
        result = decided.result;
        const occurredAt = nextEventTime(lastEventTime, this.clock.now());
        return decided.events.map((event) => ({
          eventId: this.ids.uuid(),
          type: event.type,
          tags: [grants],
          data: event.data,
          metadata: callMetadata(request, occurredAt),
          occurredAt,
        }));
      },
    );
    return { result: result as R, position: appended.events.at(-1)?.position };
  }
}

/**
 * The key (its own events, committed then pending) and its live grants, and the latest event time
 * of both streams: the key's summary covers the alias events its read leaves out.
 */
function grantsOfKey(
  history: readonly HistoryEvent[],
  summaries: ReadonlyMap<string, unknown>,
  keyId: string,
): { of: GrantsOfKey; lastEventTime: Date | undefined } {
  const keys = foldKms(history.flatMap((e) => timed(kmsEventOf(e), e)));
  const grantEvents = history.flatMap((e) => timed(grantEventOf(e), e));
  let lastEventTime = keys.lastEventTime;
  for (const { occurredAt } of grantEvents) lastEventTime = nextEventTime(lastEventTime, occurredAt);
  for (const summary of summaries.values()) {
    const { lastEventAt } = summary as KeySummary;
    if (lastEventAt !== null) lastEventTime = nextEventTime(lastEventTime, new Date(Math.round(lastEventAt * 1000)));
  }
  return { of: { key: keys.keys.get(keyId), grants: foldGrants(grantEvents) }, lastEventTime };
}

function timed<E>(event: E | undefined, stored: HistoryEvent): { event: E; occurredAt: Date }[] {
  return event ? [{ event, occurredAt: stored.occurredAt }] : [];
}
