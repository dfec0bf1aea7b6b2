import { type RawBuilder, sql } from 'kysely';
import type { Checkpoint } from '../../event-store/event.types';
import { inLogPrefix } from '../../event-store/log-positions';

/**
 * Which events an as-of question takes into account:
 * - `{ at }`: every event whose time is <= `at` (event time, from the writer's clock);
 * - `{ through }`: every event at or before `through` in log order (transaction id, position), that is,
 *   exactly what the projection had applied when its checkpoint was `through`. By position, not by
 *   position alone: positions are taken at insert but become visible at commit, so a transaction may
 *   commit an older position after a newer one. The log order is the only prefix that, once applied,
 *   never changes.
 */
export type Cut = { readonly at: Date } | { readonly through: Checkpoint };

export const cutOf = (at: Date | Cut): Cut => (at instanceof Date ? { at } : at);

const column = (alias: string, name: string) => sql.ref(`${alias}.${name}`);

/** SQL, parenthesised: version `v` (a temporal_alias_versions alias) began within the cut. */
export function begunWithin(cut: Cut, v = 'v'): RawBuilder<boolean> {
  return 'at' in cut
    ? sql<boolean>`(${column(v, 'valid_from')} <= ${cut.at})`
    : inLogPrefix(sql`${column(v, 'from_position')}`, cut.through);
}

/** SQL, parenthesised: version `v` ended within the cut. */
export function endedWithin(cut: Cut, v = 'v'): RawBuilder<boolean> {
  return 'at' in cut
    ? sql<boolean>`(${column(v, 'valid_to')} IS NOT NULL AND ${column(v, 'valid_to')} <= ${cut.at})`
    : sql<boolean>`(${column(v, 'to_position')} IS NOT NULL AND ${inLogPrefix(sql`${column(v, 'to_position')}`, cut.through)})`;
}

/**
 * SQL: the version of alias `i` begun last within the cut; it holds at the cut unless it also ended
 * within it. By time, the latest begun by T, the highest number among versions begun at the same
 * instant (the later event of that instant wins); by position, the highest number (the projection numbers an
 * alias's versions as it applies their events, in log order).
 */
export function latestBegunWithin(cut: Cut): RawBuilder<unknown> {
  return sql`
    SELECT * FROM temporal_alias_versions v
     WHERE v.alias_id = i.alias_id AND ${begunWithin(cut)}
     ORDER BY ${'at' in cut ? sql`v.valid_from DESC, v.version DESC` : sql`v.version DESC`} LIMIT 1`;
}

/** Renders a cut for answers and messages. */
export function describeCut(cut: Cut): string {
  return 'at' in cut ? cut.at.toISOString() : `position ${cut.through.position}`;
}
