import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { AliasRow } from './temporal-plan';

/** An alias's name in its account and Region. */
export interface AliasName {
  readonly accountId: string;
  readonly region: string;
  readonly aliasName: string;
}

type NameRow = { account_id: string; region: string; alias_name: string };

/** The key aliasKeyOf (temporal-plan.ts) gives an event. */
const keyOf = (r: NameRow) => `${r.account_id}\n${r.region}\n${r.alias_name}`;

/**
 * Where each named alias stands in the projection (keyed as aliasKeyOf keys them), giving names never
 * seen an id first, in the map's order (the order they first appear in the log). A served account's
 * aliases number upward from 1; an observed account's downward from -1 (observed-aliases-refold.ts):
 * the two folds run one after the other in a batch, and a rebuild's load runs each over the whole
 * log, so numbering each on its own side is what keeps the ids independent of batch boundaries.
 */
export async function aliasRowsOf(
  trx: Transaction<Database>,
  names: ReadonlyMap<string, AliasName>,
  side: 'served' | 'observed' = 'served',
): Promise<Map<string, AliasRow>> {
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
      SELECT ${
        side === 'served'
          ? sql`greatest((SELECT max(alias_id) FROM temporal_alias_ids), 0) + n.ord`
          : sql`least((SELECT min(alias_id) FROM temporal_alias_ids), 0) - n.ord`
      }, n."accountId", n.region, n."aliasName"
        FROM jsonb_to_recordset(${JSON.stringify(fresh.map((name, i) => ({ ...name, ord: i + 1 })))}::jsonb)
             AS n(ord int, "accountId" text, region text, "aliasName" text)
      RETURNING account_id, region, alias_name, alias_id`.execute(trx);
    for (const r of added.rows) before.set(keyOf(r), { aliasId: r.alias_id, maxVersion: 0, open: false });
  }
  return before;
}

/** A version row as both folds write it (temporal-plan.ts VersionInsert; observed-aliases-refold.ts). */
export interface VersionRow {
  readonly alias_id: number;
  readonly version: number;
  readonly key_id: string | null;
  /** '-infinity' for an observed version that held from before its alias's first record. */
  readonly valid_from: string;
  readonly from_position: string | null;
  readonly valid_to: string | null;
  readonly to_position: string | null;
  readonly ended_reason: string | null;
}

/** Inserts versions in one statement (none: no statement). */
export async function insertVersions(trx: Transaction<Database>, rows: readonly VersionRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO temporal_alias_versions (alias_id, version, key_id, valid_from, from_position,
                                         valid_to, to_position, ended_reason)
    SELECT alias_id, version, key_id, valid_from, from_position, valid_to, to_position, ended_reason
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
           AS x(alias_id int, version int, key_id text, valid_from timestamptz, from_position bigint,
                valid_to timestamptz, to_position bigint, ended_reason text)`.execute(trx);
}
