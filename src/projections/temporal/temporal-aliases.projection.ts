import { Injectable } from '@nestjs/common';
import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint, StoredEvent } from '../../event-store/event.types';
import {
  ALIAS_EVENT_TYPES,
  type AliasRow,
  TemporalMismatch,
  aliasKeyOf,
  isAliasEvent,
  planTemporalBatch,
} from './temporal-plan';
import type { Projection } from '../projection';
import { loadTemporal } from '../../event-store/queries/temporal-load';

type AliasName = { accountId: string; region: string; aliasName: string };
type NameRow = { account_id: string; region: string; alias_name: string };

/** The same key as aliasKeyOf gives an event. */
const keyOf = (r: NameRow) => `${r.account_id}\n${r.region}\n${r.alias_name}`;

/** The projection's checkpoint name. */
export const TEMPORAL = 'temporal';

/** Its tables (referenced first); readers lock them first (lockProjectionForRead). */
export const TEMPORAL_TABLES = ['temporal_alias_ids', 'temporal_alias_versions'] as const;

/**
 * The `temporal` projection (db/migrations/0005_temporal_aliases.sql, 0009_temporal_slim.sql). A
 * batch costs five statements whatever its size: where each alias stands, alias ids for new names,
 * the ends of versions open before the batch, the versions the batch begins (planTemporalBatch), and
 * the aliases' page prefilter. A batch
 * that does not fit the model throws, which stops the projection on the event rather than diverge.
 */
@Injectable()
export class TemporalAliasesProjection implements Projection {
  readonly name = TEMPORAL;
  readonly tables = TEMPORAL_TABLES;
  /** Alias events whole; the rest (audit records above all) only move the checkpoint. */
  readonly reads = ALIAS_EVENT_TYPES;

  async apply(trx: Transaction<Database>, events: readonly StoredEvent[]): Promise<void> {
    const aliasEvents = events.filter(isAliasEvent);
    if (aliasEvents.length === 0) return;
    const names = new Map(aliasEvents.map((e) => [aliasKeyOf(e), e.data as AliasName]));
    const { rows } = await sql<NameRow & { alias_id: number | null; max_version: number; open: boolean }>`
      SELECT n."accountId" AS account_id, n.region, n."aliasName" AS alias_name, i.alias_id,
             coalesce((SELECT max(v.version) FROM temporal_alias_versions v WHERE v.alias_id = i.alias_id), 0)::int AS max_version,
             coalesce(i.open, false) AS open
        FROM jsonb_to_recordset(${JSON.stringify([...names.values()])}::jsonb) AS n("accountId" text, region text, "aliasName" text)
        LEFT JOIN temporal_alias_ids i ON (i.account_id, i.region, i.alias_name) = (n."accountId", n.region, n."aliasName")`.execute(
      trx,
    );
    const before = new Map<string, AliasRow>();
    for (const r of rows)
      if (r.alias_id !== null) before.set(keyOf(r), { aliasId: r.alias_id, maxVersion: r.max_version, open: r.open });
    // Only names never seen get an id, the next after the highest, in the order they first appear in
    // the log. Not from the identity sequence: a sequence value, once taken, stays taken when its
    // transaction rolls back (an INSERT … ON CONFLICT DO NOTHING, a failed batch, a rebuild's swap
    // attempt that timed out), and the ids would then depend on where batches began and what failed.
    // One batch at a time writes this table (the checkpoint row's lock, or the rebuild's), so max + n
    // is free.
    const fresh = [...names].filter(([key]) => !before.has(key)).map(([, name]) => name);
    if (fresh.length > 0) {
      const added = await sql<NameRow & { alias_id: number }>`
        INSERT INTO temporal_alias_ids (alias_id, account_id, region, alias_name) OVERRIDING SYSTEM VALUE
        SELECT (SELECT coalesce(max(alias_id), 0) FROM temporal_alias_ids) + n.ord, n."accountId", n.region, n."aliasName"
          FROM jsonb_to_recordset(${JSON.stringify(fresh.map((name, i) => ({ ...name, ord: i + 1 })))}::jsonb)
               AS n(ord int, "accountId" text, region text, "aliasName" text)
        RETURNING account_id, region, alias_name, alias_id`.execute(trx);
      for (const r of added.rows) before.set(keyOf(r), { aliasId: r.alias_id, maxVersion: 0, open: false });
    }
    const { closes, inserts, spans } = planTemporalBatch(aliasEvents, before);
    if (closes.length > 0) {
      const closed = await sql`
        UPDATE temporal_alias_versions v
           SET valid_to = c.valid_to, to_position = c.to_position, ended_reason = c.ended_reason
          FROM jsonb_to_recordset(${JSON.stringify(closes)}::jsonb)
               AS c(alias_id int, valid_to timestamptz, to_position bigint, ended_reason text)
         WHERE v.alias_id = c.alias_id AND v.valid_to IS NULL`.execute(trx);
      if (closed.numAffectedRows !== BigInt(closes.length))
        throw new TemporalMismatch(`ended ${closed.numAffectedRows} open versions, expected ${closes.length}`);
    }
    if (inserts.length > 0)
      await sql`
        INSERT INTO temporal_alias_versions (alias_id, version, key_id, valid_from, from_position,
                                             valid_to, to_position, ended_reason)
        SELECT alias_id, version, key_id, valid_from, from_position, valid_to, to_position, ended_reason
          FROM jsonb_to_recordset(${JSON.stringify(inserts)}::jsonb)
               AS x(alias_id int, version int, key_id text, valid_from timestamptz, from_position bigint,
                    valid_to timestamptz, to_position bigint, ended_reason text)`.execute(trx);
    // Only aliases whose prefilter moves are written: a retarget leaves it as it was, and an
    // unchanged row is not rewritten (nor its index entries).
    await sql`
      UPDATE temporal_alias_ids i
         SET first_began = least(i.first_began, s.first_began), ended_max = greatest(i.ended_max, s.ended_max),
             open = s.open
        FROM jsonb_to_recordset(${JSON.stringify(spans)}::jsonb)
             AS s(alias_id int, first_began timestamptz, ended_max timestamptz, open boolean)
       WHERE i.alias_id = s.alias_id
         AND (i.first_began, i.ended_max, i.open) IS DISTINCT FROM
             (least(i.first_began, s.first_began), greatest(i.ended_max, s.ended_max), s.open)`.execute(trx);
  }

  /**
   * The rebuild's set-based load (event-store/queries/temporal-load.ts): the rows `apply` would have
   * written. An alias whose events do not chain fails it, as in `apply`, rather than build a model
   * the log contradicts.
   */
  async load(trx: Transaction<Database>, through: Checkpoint): Promise<number> {
    const { events, mismatches } = await loadTemporal(trx, through);
    if (mismatches > 0)
      throw new TemporalMismatch(`${mismatches} alias events do not follow from the ones before them`);
    return events;
  }
}
