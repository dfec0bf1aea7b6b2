import { type Kysely, sql } from 'kysely';
import { quoteLiteral } from '../../database/quote-literal';
import type { Database } from '../../database/database.types';

/*
 * The SQL of kms_key_material (db/migrations/0014_key_material.sql). Writes are SQL text, not
 * queries of their own: the event store sends them in the simple-protocol round trip that appends
 * the event creating or deleting the material (which cannot carry parameters), so the row commits or
 * rolls back with that event. Values are therefore literals quoted as pg's escapeLiteral does (quoteLiteral).
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
    `${quoteLiteral(row.accountId)}, ${quoteLiteral(row.region)}, ${quoteLiteral(row.keyId)}, ` +
    `${versionLiteral(row.version)}, decode(${quoteLiteral(row.wrapped.toString('hex'))}, 'hex'))`
  );
}

/** One DELETE statement (no trailing `;`) of every version of a key, for the transaction of KeyDeleted. */
export function deleteMaterialSql(accountId: string, region: string, keyId: string): string {
  return (
    'DELETE FROM kms_key_material WHERE ' +
    `account_id = ${quoteLiteral(accountId)} AND region = ${quoteLiteral(region)} AND key_id = ${quoteLiteral(keyId)}`
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

/** One key that should hold material (origin AWS_KMS), with the versions its row names and those stored. */
export interface MaterialInventoryRow {
  readonly account_id: string;
  readonly region: string;
  readonly key_id: string;
  /** kms_keys.material_version: every version from 1 up to it must be stored. */
  readonly current_version: number;
  readonly stored: { version: number; wrapped: Buffer }[];
}

/**
 * Up to `limit` keys of origin AWS_KMS after `after` (account, Region, key id order), each with its
 * stored versions: what `verify` walks to find material that is missing. kms_keys is the current
 * model's; it is read here, beside this table, because the question is about the two together.
 */
export async function materialInventory(
  db: Kysely<Database>,
  after: { accountId: string; region: string; keyId: string } | undefined,
  limit: number,
): Promise<MaterialInventoryRow[]> {
  const { rows } = await sql<MaterialInventoryRow>`
    SELECT k.account_id, k.region, k.key_id, k.material_version AS current_version,
           coalesce((SELECT json_agg(json_build_object('version', m.version, 'wrapped', encode(m.wrapped, 'base64'))
                                      ORDER BY m.version)
                       FROM kms_key_material m
                      WHERE (m.account_id, m.region, m.key_id) = (k.account_id, k.region, k.key_id)), '[]') AS stored
      FROM kms_keys k
     WHERE k.origin = 'AWS_KMS'
       ${after === undefined ? sql`` : sql`AND (k.account_id, k.region, k.key_id) > (${after.accountId}, ${after.region}, ${after.keyId})`}
     ORDER BY k.account_id, k.region, k.key_id
     LIMIT ${limit}`.execute(db);
  return rows.map((row) => ({
    ...row,
    stored: (row.stored as unknown as { version: number; wrapped: string }[]).map((s) => ({
      version: s.version,
      wrapped: Buffer.from(s.wrapped, 'base64'),
    })),
  }));
}
