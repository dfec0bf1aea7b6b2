import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { KYSELY } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import { START } from '../../event-store/checkpoint';
import type { Checkpoint } from '../../event-store/event.types';
import type { Scope } from '../../kms/identifiers';
import { TEMPORAL } from './temporal-aliases.projection';

/** One version of an alias: where it pointed during [validFrom, validTo), and who began and ended it. */
export interface AliasVersion {
  readonly aliasName: string;
  readonly version: number;
  readonly keyId: string;
  readonly validFrom: Date;
  /** Undefined while the version still holds. */
  readonly validTo: Date | undefined;
  readonly startedBy: Record<string, unknown>;
  readonly endedBy: Record<string, unknown> | undefined;
  readonly endedReason: string | undefined;
}

/** One alias whose target differs between two times; null where it did not exist. */
export interface AliasChange {
  readonly aliasName: string;
  readonly before: string | null;
  readonly after: string | null;
}

const VERSION_COLUMNS = sql.raw(
  'i.alias_name, v.version, v.key_id, v.valid_from, v.valid_to, v.started_by, v.ended_by, v.ended_reason',
);

/**
 * The version of alias `i` that holds at T unless it ended by T: the latest begun by T, the highest
 * number among versions begun at the same instant (the later event of that instant wins).
 */
const latestBegunBy = (at: Date) => sql`
  SELECT * FROM temporal_alias_versions v
   WHERE v.alias_id = i.alias_id AND v.valid_from <= ${at}
   ORDER BY v.valid_from DESC, v.version DESC LIMIT 1`;

interface VersionRow {
  alias_name: string;
  version: number;
  key_id: string;
  valid_from: Date;
  valid_to: Date | null;
  started_by: Record<string, unknown>;
  ended_by: Record<string, unknown> | null;
  ended_reason: string | null;
}

const toVersion = (row: VersionRow): AliasVersion => ({
  aliasName: row.alias_name,
  version: row.version,
  keyId: row.key_id,
  validFrom: row.valid_from,
  validTo: row.valid_to ?? undefined,
  startedBy: row.started_by,
  endedBy: row.ended_by ?? undefined,
  endedReason: row.ended_reason ?? undefined,
});

/** Point-in-time questions to the `temporal` projection. "At T" means after every event whose time is <= T. */
@Injectable()
export class TemporalAliasesReader {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /**
   * Runs `work` on one snapshot of the projection, with the log position the snapshot reflects
   * (the projection's checkpoint), so an answer and its position always agree.
   */
  snapshot<T>(work: (reader: TemporalAliasesReader, position: Checkpoint) => Promise<T>): Promise<T> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const { rows } = await sql<{ transaction_id: string; position: string }>`
          SELECT transaction_id::text AS transaction_id, position FROM projection_checkpoints
           WHERE name = ${TEMPORAL}`.execute(trx);
        const row = rows[0];
        const position = row ? { transactionId: BigInt(row.transaction_id), position: BigInt(row.position) } : START;
        return work(new TemporalAliasesReader(trx), position);
      });
  }

  /** The version of one alias that held at `at`, if the alias existed then. */
  async aliasAt(scope: Scope, aliasName: string, at: Date): Promise<AliasVersion | undefined> {
    return (await this.at(scope, at, { aliasName, limit: 1 }))[0];
  }

  /** The aliases of an account and Region that existed at `at`, in name order, after `after`. */
  aliasesAt(scope: Scope, at: Date, page: { after?: string; limit: number }): Promise<AliasVersion[]> {
    return this.at(scope, at, page);
  }

  /** Every version of one alias, oldest first (across deletions and re-creations). */
  async history(scope: Scope, aliasName: string): Promise<AliasVersion[]> {
    const { rows } = await sql<VersionRow>`
      SELECT ${VERSION_COLUMNS}
        FROM temporal_alias_ids i JOIN temporal_alias_versions v ON v.alias_id = i.alias_id
       WHERE (i.account_id, i.region, i.alias_name) = (${scope.accountId}, ${scope.region}, ${aliasName})
       ORDER BY v.version`.execute(this.db);
    return rows.map(toVersion);
  }

  /** The aliases that pointed to `keyId` at `at`, in name order. */
  async keyAliasesAt(scope: Scope, keyId: string, at: Date): Promise<AliasVersion[]> {
    // Versions of one alias hold over disjoint ranges, so "holds at T" is the range test alone.
    const { rows } = await sql<VersionRow>`
      SELECT ${VERSION_COLUMNS}
        FROM temporal_alias_versions v JOIN temporal_alias_ids i ON i.alias_id = v.alias_id
       WHERE v.key_id = ${keyId} AND i.account_id = ${scope.accountId} AND i.region = ${scope.region}
         AND v.valid_from <= ${at} AND (v.valid_to IS NULL OR v.valid_to > ${at})
       ORDER BY i.alias_name`.execute(this.db);
    return rows.map(toVersion);
  }

  /** Every version that pointed to `keyId`, in the order they began: the key's aliases over time. */
  async keyHistory(scope: Scope, keyId: string): Promise<AliasVersion[]> {
    const { rows } = await sql<VersionRow>`
      SELECT ${VERSION_COLUMNS}
        FROM temporal_alias_versions v JOIN temporal_alias_ids i ON i.alias_id = v.alias_id
       WHERE v.key_id = ${keyId} AND i.account_id = ${scope.accountId} AND i.region = ${scope.region}
       ORDER BY v.valid_from, v.from_position`.execute(this.db);
    return rows.map(toVersion);
  }

  /** The aliases whose target differs between `from` and `to` (null: absent then), in name order. */
  async diff(scope: Scope, from: Date, to: Date): Promise<AliasChange[]> {
    // The key alias i pointed to at T, or null.
    const keyAt = (at: Date) => sql`(
      SELECT CASE WHEN l.valid_to IS NULL OR l.valid_to > ${at} THEN l.key_id END FROM (${latestBegunBy(at)}) l)`;
    const [early, late] = from <= to ? [from, to] : [to, from];
    const { rows } = await sql<{ alias_name: string; before: string | null; after: string | null }>`
      SELECT * FROM (
        SELECT i.alias_name, ${keyAt(from)} AS before, ${keyAt(to)} AS after
          FROM temporal_alias_ids i
         WHERE i.account_id = ${scope.accountId} AND i.region = ${scope.region}
           AND EXISTS (
             SELECT 1 FROM temporal_alias_versions v
              WHERE v.alias_id = i.alias_id
                AND ((v.valid_from > ${early} AND v.valid_from <= ${late}) OR (v.valid_to > ${early} AND v.valid_to <= ${late})))
      ) AS d
      WHERE before IS DISTINCT FROM after
      ORDER BY alias_name`.execute(this.db);
    return rows.map((r) => ({ aliasName: r.alias_name, before: r.before, after: r.after }));
  }

  private async at(
    scope: Scope,
    at: Date,
    filter: { aliasName?: string; after?: string; limit: number },
  ): Promise<AliasVersion[]> {
    const { rows } = await sql<VersionRow>`
      SELECT ${VERSION_COLUMNS}
        FROM temporal_alias_ids i
        CROSS JOIN LATERAL (${latestBegunBy(at)}) v
       WHERE i.account_id = ${scope.accountId} AND i.region = ${scope.region}
         ${filter.aliasName === undefined ? sql`` : sql`AND i.alias_name = ${filter.aliasName}`}
         ${filter.after === undefined ? sql`` : sql`AND i.alias_name > ${filter.after}`}
         AND (v.valid_to IS NULL OR v.valid_to > ${at})
       ORDER BY i.alias_name
       LIMIT ${filter.limit}`.execute(this.db);
    return rows.map(toVersion);
  }
}
