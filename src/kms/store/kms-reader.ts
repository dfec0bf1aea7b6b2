import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { KYSELY } from '../../database/database.tokens';
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
}

export interface AliasRow {
  alias_name: string;
  key_id: string;
  creation_date: Date;
  last_updated_date: Date;
}

/** Reads of the `current` model, which the events maintain in their own transactions. */
@Injectable()
export class KmsReader {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  async key(scope: Scope, keyId: string): Promise<KeyRow | undefined> {
    const { rows } = await sql<KeyRow>`
      SELECT * FROM kms_keys WHERE account_id = ${scope.accountId} AND region = ${scope.region} AND key_id = ${keyId}`.execute(
      this.db,
    );
    return rows[0];
  }

  /**
   * The key an alias points to now, in one indexed read (the crypto calls' hot path, design §9);
   * undefined when there is no such alias.
   */
  async keyOfAlias(scope: Scope, aliasName: string): Promise<KeyRow | undefined> {
    const { rows } = await sql<KeyRow>`
      SELECT k.* FROM kms_aliases a
        JOIN kms_keys k ON k.account_id = a.account_id AND k.region = a.region AND k.key_id = a.key_id
      WHERE a.account_id = ${scope.accountId} AND a.region = ${scope.region} AND a.alias_name = ${aliasName}`.execute(
      this.db,
    );
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

  async keys(scope: Scope, options: { after?: string; limit: number }): Promise<Pick<KeyRow, 'key_id'>[]> {
    const { rows } = await sql<Pick<KeyRow, 'key_id'>>`
      SELECT key_id FROM kms_keys WHERE account_id = ${scope.accountId} AND region = ${scope.region}
        ${options.after === undefined ? sql`` : sql`AND key_id > ${options.after}`}
      ORDER BY key_id COLLATE "C" LIMIT ${options.limit}`.execute(this.db);
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
