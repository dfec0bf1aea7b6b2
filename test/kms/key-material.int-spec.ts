import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import {
  type MaterialRow,
  deleteMaterialSql,
  insertMaterialSql,
  readMaterial,
  readMaterialVersions,
} from '../../src/kms/material/key-material-sql';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';

const row = (keyId: string, version: number, wrapped = randomBytes(60)): MaterialRow => ({
  accountId: ACCOUNT,
  region: REGION,
  keyId,
  version,
  wrapped,
});

/**
 * kms_key_material's SQL as the event store will run it: statements sent as simple-protocol text in
 * the transaction of the event that creates or deletes the material (design §9).
 */
describe('kms_key_material', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  /** Runs `BEGIN; <statements>`, then `end`, on one connection, as one unit of work does. */
  async function inTransaction(statements: readonly string[], end: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    const client = await database.pool.connect();
    try {
      await client.query(`BEGIN; ${statements.join('; ')}`);
      await client.query(end);
    } catch (error) {
      await client.query('ROLLBACK'); // a failed statement leaves the transaction open, aborted
      throw error;
    } finally {
      client.release();
    }
  }

  it('keeps nothing of a rolled-back transaction, and the row of a committed one', async () => {
    const material = row('key-rolled-back', 1);
    await inTransaction([insertMaterialSql(material)], 'ROLLBACK');
    expect(await readMaterial(database.db, ACCOUNT, REGION, 'key-rolled-back')).toBeUndefined();

    await inTransaction([insertMaterialSql(material)], 'COMMIT');
    expect(await readMaterial(database.db, ACCOUNT, REGION, 'key-rolled-back')).toEqual({
      version: 1,
      wrapped: material.wrapped,
    });
  });

  it('reads the latest version, or the one asked for', async () => {
    const versions = [1, 2, 3].map((version) => row('key-rotated', version));
    await inTransaction([insertMaterialSql(versions[0]!)], 'COMMIT');
    await inTransaction([insertMaterialSql(versions[2]!), insertMaterialSql(versions[1]!)], 'COMMIT');
    expect(await readMaterial(database.db, ACCOUNT, REGION, 'key-rotated')).toEqual({
      version: 3,
      wrapped: versions[2]!.wrapped,
    });
    expect(await readMaterial(database.db, ACCOUNT, REGION, 'key-rotated', 2)).toEqual({
      version: 2,
      wrapped: versions[1]!.wrapped,
    });
    expect(await readMaterial(database.db, ACCOUNT, REGION, 'key-rotated', 4)).toBeUndefined();
    expect(await readMaterialVersions(database.db, ACCOUNT, REGION, 'key-rotated')).toEqual(
      versions.map(({ version, wrapped }) => ({ version, wrapped })),
    );
    // Another account or Region has no such key.
    expect(await readMaterial(database.db, '444455556666', REGION, 'key-rotated')).toBeUndefined();
    expect(await readMaterial(database.db, ACCOUNT, 'us-east-1', 'key-rotated')).toBeUndefined();
  });

  it("deletes every version of the key, and no other key's", async () => {
    await inTransaction(
      [1, 2].map((version) => insertMaterialSql(row('key-deleted', version))),
      'COMMIT',
    );
    await inTransaction([insertMaterialSql(row('key-kept', 1))], 'COMMIT');
    await inTransaction([deleteMaterialSql(ACCOUNT, REGION, 'key-deleted')], 'ROLLBACK');
    expect(await readMaterialVersions(database.db, ACCOUNT, REGION, 'key-deleted')).toHaveLength(2);

    await inTransaction([deleteMaterialSql(ACCOUNT, REGION, 'key-deleted')], 'COMMIT');
    expect(await readMaterialVersions(database.db, ACCOUNT, REGION, 'key-deleted')).toEqual([]);
    expect(await readMaterial(database.db, ACCOUNT, REGION, 'key-kept')).toMatchObject({ version: 1 });
  });

  it('refuses a second row for a version already stored, failing its transaction', async () => {
    const first = row('key-duplicate', 1);
    await inTransaction([insertMaterialSql(first)], 'COMMIT');
    await expect(inTransaction([insertMaterialSql(row('key-duplicate', 1))], 'COMMIT')).rejects.toMatchObject({
      code: '23505',
      constraint: 'kms_key_material_pkey',
    });
    expect(await readMaterialVersions(database.db, ACCOUNT, REGION, 'key-duplicate')).toEqual([
      { version: 1, wrapped: first.wrapped },
    ]);
  });

  it('stores quotes, backslashes and every byte value exactly', async () => {
    const keyId = String.raw`it's a \key`;
    const wrapped = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await inTransaction([insertMaterialSql({ ...row(keyId, 1), wrapped })], 'COMMIT');
    expect(await readMaterial(database.db, ACCOUNT, REGION, keyId)).toEqual({ version: 1, wrapped });
    await inTransaction([deleteMaterialSql(ACCOUNT, REGION, keyId)], 'COMMIT');
    expect(await readMaterial(database.db, ACCOUNT, REGION, keyId)).toBeUndefined();
  });

  it('refuses a version that is not a whole number from 1, before any SQL is sent', () => {
    for (const version of [0, -1, 1.5, Number.NaN])
      expect(() => insertMaterialSql(row('k', version))).toThrow(RangeError);
  });

  it('says in the catalog that material never enters events and goes with its key', async () => {
    const { rows } = await sql<{
      comment: string;
    }>`SELECT obj_description('kms_key_material'::regclass, 'pg_class') AS comment`.execute(database.db);
    expect(rows[0]!.comment).toMatch(/Never copied into events.*deleted with the key/);
  });
});
