import { EventStore } from '../../src/event-store/event-store';
import { insertMaterialSql } from '../../src/kms/material/key-material-sql';
import { anEvent } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * The statements a unit returns beside its events (UnitWrites: a key's material) commit and roll
 * back with them, alone or in a batch of concurrent units: one unit whose statement fails fails
 * alone, with none of its events; a unit whose events are refused leaves none of its rows.
 */
describe('statements that go with a unit of work', () => {
  let database: TestDatabase;
  let store: EventStore;

  const row = (keyId: string) =>
    insertMaterialSql({ accountId: '111122223333', region: 'us-west-2', keyId, version: 1, wrapped: Buffer.from('w') });
  const rows = async (keyIds: string[]) =>
    (
      await database.pool.query<{ key_id: string }>(
        'SELECT key_id FROM kms_key_material WHERE key_id = ANY($1) ORDER BY key_id',
        [keyIds],
      )
    ).rows.map((r) => r.key_id);
  const eventsOf = async (tag: string) =>
    Number(
      (await database.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events WHERE $1 = ANY(tags)', [tag]))
        .rows[0]!.n,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    store = new EventStore(database.pool, database.db);
  });
  afterAll(() => database.drop());

  it('commits them with the events', async () => {
    await store.withConsistency(['unit:a'], async () => ({
      events: [anEvent({ tags: ['unit:a'] })],
      alongside: [row('key-a')],
    }));
    expect(await rows(['key-a'])).toEqual(['key-a']);
    expect(await eventsOf('unit:a')).toBe(1);
  });

  it('keeps none when the events are refused', async () => {
    const stored = anEvent({ tags: ['unit:b'] });
    await store.append([stored]);
    // The same event id with another payload: a conflict, not a replay.
    await expect(
      store.withConsistency(['unit:b'], async () => ({
        events: [{ ...stored, data: { other: true } }],
        alongside: [row('key-b')],
      })),
    ).rejects.toThrow(/stored already with a different type or payload/);
    expect(await rows(['key-b'])).toEqual([]);
  });

  it('fails only the unit whose statement fails, with none of its events, when many share a transaction', async () => {
    await store.withConsistency(['unit:dup'], async () => ({ events: [anEvent()], alongside: [row('key-dup')] }));
    const keyIds = Array.from({ length: 40 }, (_, i) => `key-many-${String(i).padStart(2, '0')}`);
    const outcomes = await Promise.allSettled(
      keyIds.map((keyId, i) =>
        store.withConsistency([`unit:${keyId}`], async () => ({
          events: [anEvent({ tags: [`unit:${keyId}`] })],
          // Every tenth unit writes a row that exists already: its own transaction must fail.
          alongside: [row(i % 10 === 0 ? 'key-dup' : keyId)],
        })),
      ),
    );
    const failed = keyIds.filter((_, i) => outcomes[i]!.status === 'rejected');
    expect(failed).toEqual(keyIds.filter((_, i) => i % 10 === 0));
    expect(await rows(keyIds)).toEqual(keyIds.filter((_, i) => i % 10 !== 0));
    for (const keyId of keyIds) expect(await eventsOf(`unit:${keyId}`)).toBe(failed.includes(keyId) ? 0 : 1);
  });
});
