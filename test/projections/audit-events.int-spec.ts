import { sql } from 'kysely';
import { EventStore } from '../../src/event-store/event-store';
import type { StoredEvent } from '../../src/event-store/event.types';
import { AuditEventsProjection } from '../../src/projections/audit/audit-events.projection';
import { anEvent } from '../support/events';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const scope = { accountId: '111122223333', region: 'eu-west-1' };
const KEY = '1234abcd-12ab-34cd-56ef-1234567890ab';
const call = (requestId: string, eventName: string) => ({
  requestId,
  eventName,
  userIdentity: { type: 'IAMUser', accessKeyId: 'AKIAEXAMPLE', userName: 'Alice', accountId: scope.accountId },
  sourceIPAddress: '192.0.2.0',
  userAgent: 'test',
  requestParameters: {},
  eventTime: '2026-03-01T14:00:00.000Z',
});

/**
 * The audit projection gives the same rows however the log is cut into batches, as a rebuild (large
 * batches) must agree with the live projection (small ones): a scheduled DeleteKey whose aliases
 * arrive in later batches included.
 */
describe('the audit projection across batch boundaries', () => {
  let database: TestDatabase;
  let events: StoredEvent[];

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = new EventStore(database.pool, database.db);
    const service = { invokedBy: 'AWS Internal', callId: 'deletion-1' };
    const aliases = ['alias/c', 'alias/a', 'alias/b'];
    await store.append([
      anEvent({
        type: 'AliasCreated',
        data: { ...scope, aliasName: 'alias/a', keyId: KEY },
        metadata: call('r1', 'CreateAlias'),
      }),
      anEvent({
        type: 'KmsCallRecorded',
        data: { ...scope, eventName: 'ListAliases', readOnly: true, resources: [], responseElements: null },
        metadata: call('r2', 'ListAliases'),
      }),
      anEvent({ type: 'KeyDeleted', data: { ...scope, keyId: KEY }, metadata: service }),
      ...aliases.map((aliasName) =>
        anEvent({
          type: 'AliasDeleted',
          data: { ...scope, aliasName, keyId: KEY, reason: 'key-deleted' },
          metadata: service,
        }),
      ),
      anEvent({
        type: 'KeyCreated',
        data: {
          ...scope,
          keyId: 'k2',
          keySpec: 'SYMMETRIC_DEFAULT',
          keyUsage: 'ENCRYPT_DECRYPT',
          keyManager: 'AWS',
          origin: 'AWS_KMS',
          description: '',
          tags: [],
        },
        metadata: { invokedBy: 'AWS Internal', callId: 'managed' },
      }),
    ]);
    // Every event is committed; read without readAll's barrier, which a long transaction elsewhere
    // on a shared test server would hold back.
    const { rows } = await sql<{
      position: string;
      event_id: string;
      type: string;
      data: unknown;
      metadata: Record<string, unknown>;
      occurred_at: Date;
    }>`
      SELECT position, event_id, type, data, metadata, occurred_at FROM events ORDER BY position`.execute(database.db);
    events = rows.map((row) => ({
      position: BigInt(row.position),
      transactionId: 0n,
      eventId: row.event_id,
      type: row.type,
      schemaVersion: 1,
      tags: [],
      data: row.data,
      metadata: row.metadata,
      occurredAt: row.occurred_at,
      recordedAt: row.occurred_at,
    }));
  });
  afterAll(() => database.drop());

  const rowsAfter = async (batchSize: number) => {
    await sql`TRUNCATE audit_events`.execute(database.db);
    const projection = new AuditEventsProjection();
    for (let i = 0; i < events.length; i += batchSize) {
      await database.db.transaction().execute((trx) => projection.apply(trx, events.slice(i, i + batchSize)));
    }
    const { rows } = await sql<Record<string, unknown>>`
      SELECT seq, call_id, event_id, event_name, resource_names, record::text AS record, resources
        FROM audit_events ORDER BY seq`.execute(database.db);
    return rows;
  };

  it('gives identical rows for batches of 1, 2, 3 and all', async () => {
    const whole = await rowsAfter(events.length);
    expect(whole.map((r) => r.event_name)).toEqual(['CreateAlias', 'ListAliases', 'DeleteKey']);
    expect(whole[2]!.resource_names).toEqual([
      `arn:aws:kms:eu-west-1:111122223333:key/${KEY}`,
      KEY,
      'arn:aws:kms:eu-west-1:111122223333:alias/c',
      'alias/c',
      'arn:aws:kms:eu-west-1:111122223333:alias/a',
      'alias/a',
      'arn:aws:kms:eu-west-1:111122223333:alias/b',
      'alias/b',
    ]);
    for (const size of [1, 2, 3]) expect([size, await rowsAfter(size)]).toEqual([size, whole]);
  });

  it('stops on resources for a call it has no record of, rather than drop them', async () => {
    await sql`TRUNCATE audit_events`.execute(database.db);
    const orphan = events.filter((e) => e.type === 'AliasDeleted');
    await expect(
      database.db.transaction().execute((trx) => new AuditEventsProjection().apply(trx, orphan)),
    ).rejects.toThrow(/resources for calls with no record/);
  });
});
