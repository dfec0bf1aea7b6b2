import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import type { Pool } from 'pg';
import { KYSELY, PG_POOL } from '../../database/database.tokens';
import type { Database } from '../../database/database.types';
import type { Scope } from '../domain/identifiers';

/** A row of kms_keys (db/migrations/0002_kms_current.sql). */
export interface KeyRow {
  key_id: string;
  key_spec: string;
  key_usage: string;
  key_manager: 'CUSTOMER' | 'AWS';
  origin: string;
  description: string;
  key_state: string;
  creation_date: Date;
  deletion_date: Date | null;
  material_version: number;
  rotation_period_in_days: number | null;
  next_rotation_date: Date | null;
}

/** The metadata a key's row keeps for the reads that show it (ListResourceTags, GetKeyPolicy, ListKeyRotations). */
export interface KeyMetadataRow {
  tags: { TagKey: string; TagValue: string }[];
  policy: string | null;
  rotations: { KeyMaterialId: string; RotationDate: number; RotationType: string }[];
}

/** kms_keys' columns of a KeyRow: never `*`, so the hot path does not read the large metadata columns (0015). */
const KEY_COLUMN_LIST = [
  'key_id',
  'key_spec',
  'key_usage',
  'key_manager',
  'origin',
  'description',
  'key_state',
  'creation_date',
  'deletion_date',
  'material_version',
  'rotation_period_in_days',
  'next_rotation_date',
]
  .map((c) => `k.${c}`)
  .join(', ');

/*
 * The two reads every cryptographic call makes, as named statements: each pooled connection parses
 * and plans them once, then sends only Bind/Execute. Through Kysely each call was parsed and planned
 * again, server CPU that the crypto calls' throughput shares (one indexed read).
 */
const KEY_BY_ID = {
  name: 'kms_key_by_id',
  text: `SELECT ${KEY_COLUMN_LIST} FROM kms_keys k WHERE k.account_id = $1 AND k.region = $2 AND k.key_id = $3`,
};
const KEY_BY_ALIAS = {
  name: 'kms_key_by_alias',
  text: `SELECT ${KEY_COLUMN_LIST} FROM kms_aliases a
           JOIN kms_keys k ON k.account_id = a.account_id AND k.region = a.region AND k.key_id = a.key_id
          WHERE a.account_id = $1 AND a.region = $2 AND a.alias_name = $3`,
};

export interface AliasRow {
  alias_name: string;
  key_id: string;
  creation_date: Date;
  last_updated_date: Date;
}

/** Reads of the `current` model, which the events maintain in their own transactions. */
@Injectable()
export class KmsReader {
  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async key(scope: Scope, keyId: string): Promise<KeyRow | undefined> {
    const { rows } = await this.pool.query<KeyRow>({ ...KEY_BY_ID, values: [scope.accountId, scope.region, keyId] });
    return rows[0];
  }

  /** A key's tags, policy and rotations; undefined when there is no such key. */
  async keyMetadata(scope: Scope, keyId: string): Promise<KeyMetadataRow | undefined> {
    const { rows } = await sql<KeyMetadataRow>`
      SELECT tags, policy, rotations FROM kms_keys
       WHERE account_id = ${scope.accountId} AND region = ${scope.region} AND key_id = ${keyId}`.execute(this.db);
    return rows[0];
  }

  /**
   * The key an alias points to now, in one indexed read (the crypto calls' hot path);
   * undefined when there is no such alias.
   */
  async keyOfAlias(scope: Scope, aliasName: string): Promise<KeyRow | undefined> {
    const { rows } = await this.pool.query<KeyRow>({
      ...KEY_BY_ALIAS,
      values: [scope.accountId, scope.region, aliasName],
    });
    return rows[0];
  }

  async alias(scope: Scope, aliasName: string): Promise<AliasRow | undefined> {
    const { rows } = await sql<AliasRow>`
      SELECT alias_name, key_id, creation_date, last_updated_date FROM kms_aliases
      WHERE account_id = ${scope.accountId} AND region = ${scope.region} AND alias_name = ${aliasName}`.execute(
      this.db,
    );
    return rows[0];
  }

  /** Up to `limit` aliases after `after` in byte order of the name, optionally of one key. */
  async aliases(scope: Scope, options: { keyId?: string; after?: string; limit: number }): Promise<AliasRow[]> {
    const { rows } = await sql<AliasRow>`
      SELECT alias_name, key_id, creation_date, last_updated_date FROM kms_aliases
      WHERE account_id = ${scope.accountId} AND region = ${scope.region}
        ${options.keyId === undefined ? sql`` : sql`AND key_id = ${options.keyId}`}
        ${options.after === undefined ? sql`` : sql`AND alias_name > ${options.after}`}
      ORDER BY alias_name LIMIT ${options.limit}`.execute(this.db);
    return rows;
  }

  /**
   * Every key of the scope with its aliases' names, in key id order: the key tables' whole listing
   * in one read of the current model (the console, through GET /api/regions/{region}/keys).
   */
  async keysWithAliases(scope: Scope): Promise<(KeyRow & { aliases: string[] })[]> {
    const { rows } = await sql<KeyRow & { aliases: string[] }>`
      SELECT ${sql.raw(KEY_COLUMN_LIST)},
             coalesce((SELECT array_agg(a.alias_name ORDER BY a.alias_name) FROM kms_aliases a
                        WHERE (a.account_id, a.region, a.key_id) = (k.account_id, k.region, k.key_id)), '{}') AS aliases
        FROM kms_keys k
       WHERE k.account_id = ${scope.accountId} AND k.region = ${scope.region}
       ORDER BY k.key_id COLLATE "C"`.execute(this.db);
    return rows;
  }

  async keys(scope: Scope, options: { after?: string; limit: number }): Promise<Pick<KeyRow, 'key_id'>[]> {
    const { rows } = await sql<Pick<KeyRow, 'key_id'>>`
      SELECT key_id FROM kms_keys WHERE account_id = ${scope.accountId} AND region = ${scope.region}
        ${options.after === undefined ? sql`` : sql`AND key_id > ${options.after}`}
      ORDER BY key_id COLLATE "C" LIMIT ${options.limit}`.execute(this.db);
    return rows;
  }

  /** Keys whose automatic rotation is due, in every account and Region (the rotation scheduler). */
  async dueForRotation(now: Date, limit = 100): Promise<{ account_id: string; region: string; key_id: string }[]> {
    const { rows } = await sql<{ account_id: string; region: string; key_id: string }>`
      SELECT account_id, region, key_id FROM kms_keys
      WHERE next_rotation_date <= ${now} AND key_state = 'Enabled' ORDER BY next_rotation_date LIMIT ${limit}`.execute(
      this.db,
    );
    return rows;
  }

  /** Keys whose deletion date has passed, in every account and Region. */
  async dueForDeletion(now: Date, limit = 100): Promise<{ account_id: string; region: string; key_id: string }[]> {
    const { rows } = await sql<{ account_id: string; region: string; key_id: string }>`
      SELECT account_id, region, key_id FROM kms_keys
      WHERE key_state = 'PendingDeletion' AND deletion_date <= ${now} ORDER BY deletion_date LIMIT ${limit}`.execute(
      this.db,
    );
    return rows;
  }
}
