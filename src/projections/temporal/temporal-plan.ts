import type { StoredEvent } from '../../event-store/event.types';
import type { AliasCreated, AliasDeleted, AliasRetargeted } from '../../kms/domain/kms-events';

/** Where an alias stands in the projection before a batch. */
export interface AliasRow {
  readonly aliasId: number;
  readonly maxVersion: number;
  readonly open: boolean;
}

/** The open version to end: when, by which event (its position), and why. */
export interface VersionClose {
  readonly alias_id: number;
  readonly valid_to: string;
  readonly to_position: string;
  readonly ended_reason: string;
}

/** A version to insert; it may begin and end within the batch. */
export interface VersionInsert {
  alias_id: number;
  version: number;
  key_id: string;
  valid_from: string;
  from_position: string;
  valid_to: string | null;
  to_position: string | null;
  ended_reason: string | null;
}

/**
 * What the batch did to an alias, for its page prefilter (db/migrations/0009): the earliest start
 * and latest end among the versions it began or ended (null if none), and whether one is open after it.
 */
export interface AliasSpan {
  alias_id: number;
  first_began: string | null;
  ended_max: string | null;
  open: boolean;
}

type AliasEvent = { accountId: string; region: string; aliasName: string };

/** The events the temporal model follows. */
export const ALIAS_EVENT_TYPES = ['AliasCreated', 'AliasRetargeted', 'AliasDeleted'] as const;

export const isAliasEvent = (event: StoredEvent) => (ALIAS_EVENT_TYPES as readonly string[]).includes(event.type);

export const aliasKeyOf = (event: StoredEvent) => {
  const data = event.data as AliasEvent;
  return `${data.accountId}\n${data.region}\n${data.aliasName}`;
};

/** A batch that does not fit the projection: the log and the model disagree about this event. */
export class TemporalMismatch extends Error {
  override readonly name = 'TemporalMismatch';
}

/**
 * The writes a batch of alias events makes, in log order, given where each alias stood before it:
 * ends of versions open before the batch, and the versions the batch begins (ended within the batch
 * when a later event of the same alias follows), and each alias's span for the page prefilter.
 * Pure: the projection turns it into three statements.
 */
export function planTemporalBatch(
  events: readonly StoredEvent[],
  before: ReadonlyMap<string, AliasRow>,
): { closes: VersionClose[]; inserts: VersionInsert[]; spans: AliasSpan[] } {
  const closes: VersionClose[] = [];
  const inserts: VersionInsert[] = [];
  const spans = new Map<number, AliasSpan>();
  const earlier = (a: string | null, b: string) => (a === null || b < a ? b : a);
  const later = (a: string | null, b: string) => (a === null || b > a ? b : a);
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
    const span = spans.get(alias.aliasId) ?? {
      alias_id: alias.aliasId,
      first_began: null,
      ended_max: null,
      open: row.open,
    };
    spans.set(alias.aliasId, span);
    // ISO strings of one format compare as the instants they name.
    const at = event.occurredAt.toISOString();
    const end = (reason: string) => {
      if (alias.open === undefined)
        throw new TemporalMismatch(
          `${event.type} of ${(event.data as AliasEvent).aliasName}, which has no open version`,
        );
      const ending = { to_position: event.position.toString(), ended_reason: reason };
      if (alias.open === 'before') closes.push({ alias_id: alias.aliasId, valid_to: at, ...ending });
      else Object.assign(alias.open, { valid_to: at, ...ending });
      alias.open = undefined;
      span.ended_max = later(span.ended_max, at);
      span.open = false;
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
        valid_to: null,
        to_position: null,
        ended_reason: null,
      };
      inserts.push(alias.open);
      span.first_began = earlier(span.first_began, at);
      span.open = true;
    };
    if (event.type === 'AliasCreated') begin((event.data as AliasCreated).keyId);
    else if (event.type === 'AliasRetargeted') {
      end('retargeted');
      begin((event.data as AliasRetargeted).toKeyId);
    } else end((event.data as AliasDeleted).reason === 'key-deleted' ? 'key-deleted' : 'deleted');
  }
  return { closes, inserts, spans: [...spans.values()] };
}
