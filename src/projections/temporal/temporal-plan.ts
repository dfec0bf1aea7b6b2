import type { StoredEvent } from '../../event-store/event.types';
import type { AliasCreated, AliasDeleted, AliasRetargeted } from '../../kms/kms-events';

/** Where an alias stands in the projection before a batch. */
export interface AliasRow {
  readonly aliasId: number;
  readonly maxVersion: number;
  readonly open: boolean;
}

/** The open version to end: when, by which event, and why. */
export interface VersionClose {
  readonly alias_id: number;
  readonly valid_to: string;
  readonly to_position: string;
  readonly ended_by: Record<string, unknown>;
  readonly ended_reason: string;
}

/** A version to insert; it may begin and end within the batch. */
export interface VersionInsert {
  alias_id: number;
  version: number;
  key_id: string;
  valid_from: string;
  from_position: string;
  started_by: Record<string, unknown>;
  valid_to: string | null;
  to_position: string | null;
  ended_by: Record<string, unknown> | null;
  ended_reason: string | null;
}

type AliasEvent = { accountId: string; region: string; aliasName: string };

export const isAliasEvent = (event: StoredEvent) =>
  event.type === 'AliasCreated' || event.type === 'AliasRetargeted' || event.type === 'AliasDeleted';

export const aliasKeyOf = (event: StoredEvent) => {
  const data = event.data as AliasEvent;
  return `${data.accountId}\n${data.region}\n${data.aliasName}`;
};

/** Who began or ended a version: the event and its CloudTrail-style metadata (design §4). */
export function causeOf(event: StoredEvent): Record<string, unknown> {
  const m = event.metadata;
  return {
    eventType: event.type,
    eventId: event.eventId,
    position: event.position.toString(),
    eventName: m.eventName ?? null,
    requestId: m.requestId ?? null,
    userIdentity: m.userIdentity ?? null,
    invokedBy: m.invokedBy ?? null,
    sourceIPAddress: m.sourceIPAddress ?? null,
    userAgent: m.userAgent ?? null,
  };
}

/** A batch that does not fit the projection: the log and the model disagree about this event. */
export class TemporalMismatch extends Error {
  override readonly name = 'TemporalMismatch';
}

/**
 * The writes a batch of alias events makes, in log order, given where each alias stood before it:
 * ends of versions open before the batch, and the versions the batch begins (ended within the batch
 * when a later event of the same alias follows). Pure: the projection turns it into two statements.
 */
export function planTemporalBatch(
  events: readonly StoredEvent[],
  before: ReadonlyMap<string, AliasRow>,
): { closes: VersionClose[]; inserts: VersionInsert[] } {
  const closes: VersionClose[] = [];
  const inserts: VersionInsert[] = [];
  const state = new Map<string, { aliasId: number; version: number; open: VersionInsert | 'before' | undefined }>();
  for (const event of events.filter(isAliasEvent)) {
    const key = aliasKeyOf(event);
    const row = before.get(key);
    if (!row) throw new TemporalMismatch(`${event.type} of an alias the projection has no id for`);
    const alias = state.get(key) ?? {
      aliasId: row.aliasId,
      version: row.maxVersion,
      open: row.open ? 'before' : undefined,
    };
    state.set(key, alias);
    const at = event.occurredAt.toISOString();
    const end = (reason: string) => {
      if (alias.open === undefined)
        throw new TemporalMismatch(
          `${event.type} of ${(event.data as AliasEvent).aliasName}, which has no open version`,
        );
      const ending = { to_position: event.position.toString(), ended_by: causeOf(event), ended_reason: reason };
      if (alias.open === 'before') closes.push({ alias_id: alias.aliasId, valid_to: at, ...ending });
      else Object.assign(alias.open, { valid_to: at, ...ending });
      alias.open = undefined;
    };
    const begin = (keyId: string) => {
      if (alias.open !== undefined)
        throw new TemporalMismatch(
          `${event.type} of ${(event.data as AliasEvent).aliasName}, which has an open version`,
        );
      alias.version += 1;
      alias.open = {
        alias_id: alias.aliasId,
        version: alias.version,
        key_id: keyId,
        valid_from: at,
        from_position: event.position.toString(),
        started_by: causeOf(event),
        valid_to: null,
        to_position: null,
        ended_by: null,
        ended_reason: null,
      };
      inserts.push(alias.open);
    };
    if (event.type === 'AliasCreated') begin((event.data as AliasCreated).keyId);
    else if (event.type === 'AliasRetargeted') {
      end('retargeted');
      begin((event.data as AliasRetargeted).toKeyId);
    } else end((event.data as AliasDeleted).reason === 'key-deleted' ? 'key-deleted' : 'deleted');
  }
  return { closes, inserts };
}
