import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { RootKeyWrapper } from '../../src/kms/material/material-wrapper';
import { deleteMaterialSql } from '../../src/kms/material/key-material-sql';
import type { KmsRequest } from '../../src/kms/kms-request';
import { resolveUsableKey } from '../../src/kms/operations/crypto-key';
import { KeyMaterials } from '../../src/kms/store/key-materials';
import { KmsReader } from '../../src/kms/store/kms-reader';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const scope = { accountId: '111122223333', region: 'us-west-2' };

/** KeyMaterials' cache of unwrapped material (design §9): what it holds of a key that is gone. */
describe('the key material cache', () => {
  let database: TestDatabase;
  let materials: KeyMaterials;
  beforeAll(async () => {
    database = await createTestDatabase();
    materials = new KeyMaterials(database.db, new RootKeyWrapper(randomBytes(32)));
  });
  afterAll(() => database.drop());

  /** A key with stored material, read once so that this instance caches it. */
  async function cachedKey(): Promise<string> {
    const keyId = randomUUID();
    const insert = materials.createdWith({
      ...scope,
      keyId,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      keyManager: 'CUSTOMER',
      origin: 'AWS_KMS',
      description: '',
      tags: [],
    });
    await sql.raw(insert!).execute(database.db);
    expect(await materials.material(scope, { key_id: keyId, material_version: 1 }, 1)).toHaveLength(32);
    return keyId;
  }
  /** Whether the instance still answers from its cache once the stored rows are gone. */
  const stillCached = async (keyId: string) => {
    await sql.raw(deleteMaterialSql(scope.accountId, scope.region, keyId)).execute(database.db);
    return materials.material(scope, { key_id: keyId, material_version: 1 }, 1).then(
      (material) => material !== undefined,
      () => false,
    );
  };

  it('answers from the cache while the key is usable', async () => {
    expect(await stillCached(await cachedKey())).toBe(true);
  });

  it("drops a key's entries when its deletion is written", async () => {
    const keyId = await cachedKey();
    materials.deletedWith({ ...scope, keyId });
    expect(await stillCached(keyId)).toBe(false);
  });

  it("drops a key's entries when asked to forget it (a ciphertext's key unreachable)", async () => {
    const keyId = await cachedKey();
    materials.forget(scope, keyId);
    expect(await stillCached(keyId)).toBe(false);
  });

  it("keeps the other keys' entries when it forgets one", async () => {
    const [forgotten, kept] = [await cachedKey(), await cachedKey()];
    materials.forget(scope, forgotten);
    expect(await stillCached(kept)).toBe(true);
    expect(await stillCached(forgotten)).toBe(false);
    // Forgetting a key twice is harmless.
    const again = await cachedKey();
    materials.forget(scope, again);
    materials.forget(scope, again);
    expect(await stillCached(again)).toBe(false);
  });

  it('drops the entries of a key a call finds gone (NotFound)', async () => {
    const keyId = await cachedKey(); // material cached, but no such key in the current model
    const request = {
      requestId: 'req-1',
      operation: 'Encrypt',
      principal: {
        accessKeyId: 'AKIAALICE00000000001',
        secretAccessKey: 'secret',
        accountId: scope.accountId,
        arn: `arn:aws:iam::${scope.accountId}:user/Alice`,
        userName: 'Alice',
      },
      scope,
      sourceIp: '192.0.2.10',
      userAgent: 'test',
      params: {},
    } satisfies KmsRequest;
    await expect(
      resolveUsableKey(new KmsReader(database.db, database.pool), materials, request, keyId),
    ).rejects.toMatchObject({
      code: 'NotFoundException',
    });
    expect(await stillCached(keyId)).toBe(false);
  });
});
