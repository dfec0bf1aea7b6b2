import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import { KYSELY } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import { type TypedEventRow, eventsInScopeUntil, eventsOfTagUntil } from '../../event-store/queries/kms-history-reads';
import type { Scope } from '../../kms/domain/identifiers';
import { KMS_EVENT_TYPES, keyTag, kmsEventOf } from '../../kms/domain/kms-events';
import { type KeyState, type TimedEvent, foldKms } from '../../kms/domain/kms-state';
import { SNAPSHOT_TYPE, observedKeyEvidenceUntil } from '../../event-store/queries/imported-records';
import { type ObservedKey, foldObservedKeys } from '../../kms/domain/observed-keys';
import type { KmsSnapshot } from '../../kms/domain/observed-snapshot';

const timed = (rows: readonly TypedEventRow[]): TimedEvent[] =>
  rows.flatMap((row) => {
    const event = kmsEventOf(row);
    return event ? [{ event, occurredAt: row.occurred_at }] : [];
  });

/**
 * Keys as they were at a moment: their state, description, tags, policy and rotation, and the aliases
 * that pointed at them, folded from the log itself (the same fold the KMS API decides with, so the
 * past is what the API saw then). No projection stands between: an answer reflects every event
 * committed when it was asked, and a key deleted since is there, as it was.
 *
 * "At T" takes every event whose time is at or before T. Per key and per alias, event times never
 * decrease (docs/history-model.md#units-of-work-and-consistency, rule 5), so those events are a prefix
 * of each stream and the fold in log order gives each one's state at T.
 */
@Injectable()
export class KeysAtReader {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /** Every key of the scope that existed at `at`, in key id order. */
  async keysAt(scope: Scope, at: Date): Promise<KeyState[]> {
    const rows = await eventsInScopeUntil(this.db, KMS_EVENT_TYPES, scope, at);
    return [...foldKms(timed(rows)).keys.values()].sort((a, b) => (a.keyId < b.keyId ? -1 : 1));
  }

  /**
   * An observed account's keys at `at`, from its imported records and snapshots up to then
   * (foldObservedKeys: what the evidence does not show is null).
   */
  async observedKeysAt(scope: Scope, at: Date): Promise<ObservedKey[]> {
    const rows = await observedKeyEvidenceUntil(this.db, scope.accountId, scope.region, at);
    return foldObservedKeys(
      rows.map((row) =>
        row.type === SNAPSHOT_TYPE
          ? { at: row.occurred_at, kind: 'snapshot' as const, snapshot: JSON.parse(row.body) as KmsSnapshot }
          : { at: row.occurred_at, kind: 'record' as const, record: JSON.parse(row.body) as Record<string, unknown> },
      ),
    );
  }

  /** One key at `at`; undefined when it did not exist then (not yet made, or deleted). */
  async keyAt(scope: Scope, keyId: string, at: Date): Promise<KeyState | undefined> {
    // A key's stream: its own events and every alias event that named it (kms-events.ts, tagsOf).
    const tag = keyTag(scope.accountId, scope.region, keyId);
    return foldKms(timed(await eventsOfTagUntil(this.db, KMS_EVENT_TYPES, tag, at))).keys.get(keyId);
  }
}
