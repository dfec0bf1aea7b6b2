import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { IdGenerator } from '../../clock/id-generator';
import { EventStore } from '../../event-store/event-store';
import type { HistoryEvent, NewEvent } from '../../event-store/event.types';
import { nextEventTime } from '../domain/event-time';
import type { KmsEvent } from '../domain/kms-events';
import { aliasAndKeyTags, keyIdOfTag, kmsEventOf, tagsOf } from '../domain/kms-events';
import type { Scope } from '../domain/identifiers';
import { type KmsState, foldKms } from '../domain/kms-state';
import type { KmsRequest } from '../kms-request';
import { AliasTargetHints } from './alias-target-hints';
import { callMetadata } from './call-metadata';
import { CALL_RECORDED_TYPE, type CallRecord } from './call-record';
import { KMS_UNIT_READ, type KeySummary } from './kms-unit-read';
import { KmsReader } from './kms-reader';
import { KeyMaterials } from './key-materials';

/** Who caused an event, when there is no API call (the deletion scheduler), or when KMS acts on one's behalf. */
export interface ServiceCause {
  readonly service: true;
  /**
   * The API call that set the service's change off (RotateKeyOnDemand's material switch): CloudTrail
   * shows the call and the service event as two records, so the call has its own
   * event, its record with the call's metadata, appended ahead of the service's events in their
   * transaction when the unit decides any.
   */
  readonly onCall?: { readonly request: KmsRequest; readonly record: CallRecord };
}

/** What a unit decided, and the log position its last event took (none when it decided nothing). */
export interface Decided {
  readonly events: readonly KmsEvent[];
  readonly position?: bigint;
}

/** A read outside the locks went stale: the unit starts over, locking `tags`. */
class StaleRead extends Error {
  constructor(readonly tags: string[]) {
    super('stale read');
  }
}

/**
 * Runs one KMS decision as a unit of work: lock the tags, fold their history into state, decide
 * with the injected clock, and append the events with the request's metadata. Event times never go
 * back behind the history's latest (docs/history-model.md#units-of-work-and-consistency, rule 5).
 */
@Injectable()
export class KmsWriter {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly hints: AliasTargetHints,
    private readonly reader: KmsReader,
    private readonly materials: KeyMaterials,
  ) {
    // A key's stream summarised, not read whole (db/migrations/0012); set before any unit runs,
    // since Nest builds every provider before the app takes requests or starts its schedulers.
    store.readUnitsWith(KMS_UNIT_READ);
  }

  /**
   * `pregenerated`: material made before the unit (a new asymmetric key's private key, too slow to
   * make inside it), by key id, stored with that key's KeyCreated if the unit decides one.
   */
  async run(
    cause: KmsRequest | ServiceCause,
    tags: readonly string[],
    decide: (state: KmsState, now: Date) => readonly KmsEvent[],
    pregenerated?: ReadonlyMap<string, Buffer>,
  ): Promise<Decided> {
    const decided: KmsEvent[] = [];
    // A service unit's events share an id, so the audit trail shows them as one call.
    const metadataCause = 'service' in cause ? { ...cause, callId: this.ids.uuid() } : cause;
    const result = await this.store.withConsistency(tags, async ({ history, summaries }) => {
      decided.length = 0;
      const state = stateOf(history, summaries);
      const now = this.clock.now();
      const occurredAt = nextEventTime(state.lastEventTime, now);
      decided.push(...decide(state, occurredAt));
      const call =
        'onCall' in cause && cause.onCall && decided.length > 0 ? [this.callEvent(cause.onCall, occurredAt)] : [];
      return {
        events: [...call, ...decided.map((event) => this.toNewEvent(event, metadataCause, occurredAt))],
        alongside: decided.flatMap((event) => this.materialWrites(event, pregenerated)),
      };
    });
    this.hints.learn(decided);
    return { events: decided, position: result.events.at(-1)?.position };
  }

  /**
   * For units whose tags depend on state, such as the key an alias points to now: locks `guess`
   * (from the current model, read without locks), and starts over with the tags the locked state
   * names if they differ (it moved in between, or the guess was short).
   */
  async runDiscovering(
    cause: KmsRequest | ServiceCause,
    guess: readonly string[],
    tagsOf: (state: KmsState) => readonly string[],
    decide: (state: KmsState, now: Date) => readonly KmsEvent[],
  ): Promise<Decided> {
    const tagSet = (tags: readonly string[]) => [...new Set(tags)].sort();
    let tags = tagSet(guess);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.run(cause, tags, (state, now) => {
          const locked = tagSet(tagsOf(state));
          if (locked.join('\n') !== tags.join('\n')) throw new StaleRead(locked);
          return decide(state, now);
        });
      } catch (error) {
        if (!(error instanceof StaleRead) || attempt >= 50) throw error;
        // What the locked state names is fresher than any read without locks: lock that next.
        tags = error.tags;
      }
    }
  }

  /**
   * A unit on an alias, the key it points to now and `keyIds` (UpdateAlias's new key): the current
   * key is guessed from what this instance last did to the alias, else from the current model.
   */
  async runOnAlias(
    cause: KmsRequest,
    aliasName: string,
    keyIds: readonly string[],
    decide: (state: KmsState, now: Date) => readonly KmsEvent[],
  ): Promise<Decided> {
    const scope: Scope = cause.scope;
    const tags = (currentKeyId: string | undefined) =>
      aliasAndKeyTags(scope, aliasName, currentKeyId === undefined ? keyIds : [currentKeyId, ...keyIds]);
    const guess = this.hints.keyOf(scope, aliasName) ?? (await this.reader.alias(scope, aliasName))?.key_id;
    return this.runDiscovering(cause, tags(guess), (state) => tags(state.aliases.get(aliasName)?.keyId), decide);
  }

  /**
   * Key material goes with the events (docs/history-model.md#key-material): stored in the transaction
   * of the KeyCreated or KeyMaterialRotated that makes it, destroyed in the one of the KeyDeleted,
   * whichever unit decided them.
   */
  private materialWrites(event: KmsEvent, pregenerated?: ReadonlyMap<string, Buffer>): string[] {
    if (event.type === 'KeyCreated') {
      const made = pregenerated?.get(event.data.keyId);
      return [this.materials.createdWith(event.data, made)].filter((s) => s !== undefined);
    }
    if (event.type === 'KeyMaterialRotated') return [this.materials.rotatedWith(event.data)];
    if (event.type === 'KeyDeleted') return [this.materials.deletedWith(event.data)];
    return [];
  }

  /** The record of the call a service unit acts for, as AuditRecorder would append it, at the unit's time. */
  private callEvent({ request, record }: NonNullable<ServiceCause['onCall']>, occurredAt: Date): NewEvent {
    return {
      eventId: this.ids.uuid(),
      type: CALL_RECORDED_TYPE,
      // No tags, as AuditRecorder's: no decision depends on a call's record.
      tags: [],
      data: record,
      metadata: callMetadata(request, occurredAt),
      occurredAt,
    };
  }

  private toNewEvent(
    event: KmsEvent,
    cause: KmsRequest | (ServiceCause & { callId: string }),
    occurredAt: Date,
  ): NewEvent {
    return {
      eventId: this.ids.uuid(),
      type: event.type,
      tags: tagsOf(event),
      data: event.data,
      metadata: metadataOf(cause, occurredAt),
      occurredAt,
    };
  }
}

/**
 * The unit's state: its committed events folded, each key then given what its summary says (the
 * aliases that point at it, its stream's latest event time: the alias events of a key's stream are
 * not read, see kms-unit-read.ts), and then the events earlier units of the batch decided, which
 * the summaries, read from committed rows, do not include.
 */
function stateOf(history: readonly HistoryEvent[], summaries: ReadonlyMap<string, unknown>): KmsState {
  const timed = (e: HistoryEvent) => {
    const event = kmsEventOf(e);
    return event ? [{ event, occurredAt: e.occurredAt }] : [];
  };
  const committed = foldKms(history.filter((e) => e.position !== undefined).flatMap(timed));
  const keys = new Map(committed.keys);
  let lastEventTime = committed.lastEventTime;
  for (const [tag, summary] of summaries) {
    const { aliases, lastEventAt } = summary as KeySummary;
    const keyId = keyIdOfTag(tag);
    const key = keys.get(keyId);
    if (key) keys.set(keyId, { ...key, aliases: new Set(aliases) });
    const at = lastEventAt === null ? undefined : new Date(Math.round(lastEventAt * 1000));
    if (at) lastEventTime = nextEventTime(lastEventTime, at);
  }
  const pending = history.filter((e) => e.position === undefined).flatMap(timed);
  return foldKms(pending, { keys, aliases: committed.aliases, lastEventTime });
}

function metadataOf(cause: KmsRequest | (ServiceCause & { callId: string }), eventTime: Date): Record<string, unknown> {
  if ('service' in cause)
    return { invokedBy: 'AWS Internal', callId: cause.callId, eventTime: eventTime.toISOString() };
  return callMetadata(cause, eventTime);
}
