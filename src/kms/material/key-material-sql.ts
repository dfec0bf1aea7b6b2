import type { Kysely } from 'kysely';
import { escapeLiteral } from 'pg';
import type { Database } from '../../database/database.types';

/*
 * The SQL of kms_key_material (db/migrations/0014_key_material.sql). Writes are SQL text, not
 * queries of their own: the event store sends them in the simple-protocol round trip that appends
 * the event creating or deleting the material (which cannot carry parameters), so the row commits or
 * rolls back with that event. Values are therefore literals quoted by pg's own escapeLiteral.
 */

/** One version of one key's material, wrapped (see material-wrapper.ts). */
export interface MaterialRow {
  readonly accountId: string;
  readonly region: string;
  readonly keyId: string;
  readonly version: number;
  readonly wrapped: Buffer;
}

export interface StoredMaterial {
  readonly version: number;
  readonly wrapped: Buffer;
}

/**
 * One INSERT statement (no trailing `;`), for the transaction of KeyCreated or KeyMaterialRotated.
 * A version already stored violates the primary key (kms_key_material_pkey), failing that transaction.
 *
 * @example `SELECT * FROM events_append(…); ${insertMaterialSql(row)}; COMMIT`
 */
export function insertMaterialSql(row: MaterialRow): string {
  return (
    'INSERT INTO kms_key_material (account_id, region, key_id, version, wrapped) VALUES (' +
    `${escapeLiteral(row.accountId)}, ${escapeLiteral(row.region)}, ${escapeLiteral(row.keyId)}, ` +
    `${versionLiteral(row.version)}, decode(${escapeLiteral(row.wrapped.toString('hex'))}, 'hex'))`
  );
}

/** One DELETE statement (no trailing `;`) of every version of a key, for the transaction of KeyDeleted. */
export function deleteMaterialSql(accountId: string, region: string, keyId: string): string {
  return (
    'DELETE FROM kms_key_material WHERE ' +
    `account_id = ${escapeLiteral(accountId)} AND region = ${escapeLiteral(region)} AND key_id = ${escapeLiteral(keyId)}`
  );
}

/** The given version of a key's material, or its latest when `version` is omitted; undefined when none is stored. */
export async function readMaterial(
  db: Kysely<Database>,
  accountId: string,
  region: string,
  keyId: string,
  version?: number,
): Promise<StoredMaterial | undefined> {
  let query = db
    .selectFrom('kms_key_material')
    .select(['version', 'wrapped'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('key_id', '=', keyId);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  return query.executeTakeFirst();
}

/** Every stored version of a key's material, oldest first (for verify, and to decrypt after rotations). */
export async function readMaterialVersions(
  db: Kysely<Database>,
  accountId: string,
  region: string,
  keyId: string,
): Promise<StoredMaterial[]> {
  return db
    .selectFrom('kms_key_material')
    .select(['version', 'wrapped'])
    .where('account_id', '=', accountId)
    .where('region', '=', region)
    .where('key_id', '=', keyId)
    .orderBy('version')
    .execute();
}

/** Written into the SQL text unquoted, so it must be exactly a whole number. */
function versionLiteral(version: number): string {
  if (!Number.isSafeInteger(version) || version < 1)
    throw new RangeError(`a material version is a whole number from 1, not ${version}`);
  return String(version);
}

/** Whether any key material is stored: then a missing root key file must stop start-up (root-key.ts). */
export async function holdsAnyMaterial(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('kms_key_material').select('key_id').limit(1).executeTakeFirst()) !== undefined;
}
