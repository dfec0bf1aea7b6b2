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
const service = (callId: string) => ({ invokedBy: 'AWS Internal', callId, eventTime: '2026-11-28T12:00:00.000Z' });
const keyDeleted = (callId: string) =>
  anEvent({ type: 'KeyDeleted', data: { ...scope, keyId: KEY }, metadata: service(callId) });
const aliasGone = (callId: string, aliasName: string) =>
  anEvent({
    type: 'AliasDeleted',
    data: { ...scope, aliasName, keyId: KEY, reason: 'key-deleted' },
    metadata: service(callId),
  });

/** Every committed event in log order, read without readAll's barrier (a shared test server's long transactions hold it back). */
async function committedEvents(database: TestDatabase): Promise<StoredEvent[]> {
  const { rows } = await sql<{
    position: string;
    transaction_id: string;
    event_id: string;
    type: string;
    data: unknown;
    metadata: Record<string, unknown>;
    occurred_at: Date;
  }>`
    SELECT position, transaction_id::text, event_id, type, data, metadata, occurred_at
      FROM events ORDER BY transaction_id, position`.execute(database.db);
  return rows.map((row) => ({
    position: BigInt(row.position),
    transactionId: BigInt(row.transaction_id),
    eventId: row.event_id,
    type: row.type,
    schemaVersion: 1,
    tags: [],
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
    recordedAt: row.occurred_at,
  }));
}

/**
 * The audit projection gives the same rows however the log is cut into batches, as a rebuild (a
 * set-based load, then large batches) must agree with the live projection (small ones): a
 * scheduled DeleteKey whose aliases arrive in later batches, failed calls and reads included.
 */
describe('the audit projection across batch boundaries', () => {
  let database: TestDatabase;
  let events: StoredEvent[];
  const projection = new AuditEventsProjection();

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = new EventStore(database.pool, database.db);
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
      anEvent({
        type: 'KmsCallRecorded',
        data: {
          ...scope,
          eventName: 'DeleteAlias',
          readOnly: false,
          errorCode: 'NotFoundException',
          errorMessage: 'gone',
          resources: [`arn:aws:kms:eu-west-1:111122223333:alias/x`],
          responseElements: null,
        },
        metadata: call('r3', 'DeleteAlias'),
      }),
      keyDeleted('deletion-1'),
      ...['alias/c', 'alias/a', 'alias/b'].map((aliasName) => aliasGone('deletion-1', aliasName)),
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
      anEvent({
        type: 'AliasRetargeted',
        data: { ...scope, aliasName: 'alias/d', fromKeyId: KEY, toKeyId: 'k2' },
        metadata: call('r4', 'UpdateAlias'),
      }),
    ]);
    events = await committedEvents(database);
  });
  afterAll(() => database.drop());

  const rows = async () =>
    (await sql<Record<string, unknown>>`SELECT * FROM audit_events ORDER BY seq`.execute(database.db)).rows;

  /** Loads through the first `loaded` events (set-based, as a rebuild), then applies the rest in batches. */
  const rowsAfter = async (batchSize: number, loaded = 0) => {
    await sql`TRUNCATE audit_events`.execute(database.db);
    const through = events[loaded - 1];
    if (through) await database.db.transaction().execute((trx) => projection.load(trx, through));
    for (let i = loaded; i < events.length; i += batchSize) {
      await database.db.transaction().execute((trx) => projection.apply(trx, events.slice(i, i + batchSize)));
    }
    return rows();
  };

  it('gives identical rows for batches of 1, 2, 3 and all', async () => {
    const whole = await rowsAfter(events.length);
    expect(whole.map((r) => [r.event_name, r.error_code, r.read_only])).toEqual([
      ['CreateAlias', null, false],
      ['ListAliases', null, true],
      ['DeleteAlias', 'NotFoundException', false],
      ['DeleteKey', null, false],
      ['UpdateAlias', null, false],
    ]);
    const deletion = events.findIndex((e) => e.type === 'KeyDeleted');
    expect(whole[3]).toMatchObject({
      seq: events[deletion]!.position.toString(),
      call_id: 'deletion-1',
      positions: events.slice(deletion, deletion + 4).map((e) => e.position.toString()),
      resource_names: [KEY, 'alias/c', 'alias/a', 'alias/b'],
    });
    for (const size of [1, 2, 3]) expect([size, await rowsAfter(size)]).toEqual([size, whole]);
  });

  it('gives identical rows when a rebuild loads up to any event and replays the rest in batches', async () => {
    const whole = await rowsAfter(events.length);
    for (let loaded = 1; loaded <= events.length; loaded++) {
      for (const size of [1, 2, 3, events.length]) {
        expect([loaded, size, await rowsAfter(size, loaded)]).toEqual([loaded, size, whole]);
      }
    }
  });

  it('stops on resources for a call it has no record of, rather than drop them', async () => {
    await sql`TRUNCATE audit_events`.execute(database.db);
    const orphan = events.filter((e) => e.type === 'AliasDeleted');
    await expect(database.db.transaction().execute((trx) => projection.apply(trx, orphan))).rejects.toThrow(
      /resources for calls with no record: deletion-1/,
    );
  });
});

describe('the audit projection on a log it cannot make records of', () => {
  const projection = new AuditEventsProjection();

  it('stops, incrementally and in a load, on resources of a call with no record', async () => {
    const database = await createTestDatabase();
    try {
      await new EventStore(database.pool, database.db).append([keyDeleted('d1'), aliasGone('d2', 'alias/a')]);
      const events = await committedEvents(database);
      await expect(database.db.transaction().execute((trx) => projection.apply(trx, events))).rejects.toThrow(
        /resources for calls with no record: d2/,
      );
      await expect(database.db.transaction().execute((trx) => projection.load(trx, events.at(-1)!))).rejects.toThrow(
        /resources for calls with no record: d2/,
      );
    } finally {
      await database.drop();
    }
  });

  it('stops on a second record for one call, whichever batches the two are in', async () => {
    const database = await createTestDatabase();
    try {
      const failed = { ...scope, eventName: 'CreateAlias', readOnly: false, errorCode: 'KMSInternalException' };
      await new EventStore(database.pool, database.db).append([
        anEvent({
          type: 'AliasCreated',
          data: { ...scope, aliasName: 'alias/a', keyId: KEY },
          metadata: call('r1', 'CreateAlias'),
        }),
        anEvent({
          type: 'KmsCallRecorded',
          data: { ...failed, resources: [], responseElements: null },
          metadata: call('r1', 'CreateAlias'),
        }),
      ]);
      const events = await committedEvents(database);
      const duplicate = /audit_events_call_key/;
      await expect(database.db.transaction().execute((trx) => projection.apply(trx, events))).rejects.toThrow(
        duplicate,
      );
      await database.db.transaction().execute((trx) => projection.apply(trx, events.slice(0, 1)));
      await expect(database.db.transaction().execute((trx) => projection.apply(trx, events.slice(1)))).rejects.toThrow(
        duplicate,
      );
      await sql`TRUNCATE audit_events`.execute(database.db);
      await expect(database.db.transaction().execute((trx) => projection.load(trx, events.at(-1)!))).rejects.toThrow(
        duplicate,
      );
    } finally {
      await database.drop();
    }
  });
});
