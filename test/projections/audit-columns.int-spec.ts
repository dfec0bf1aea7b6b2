import { type AuditEntry, auditEntriesOf } from '../../src/audit/audit-entries';
import { resourceNameOf } from '../../src/audit/resource-names';
import { aliasArn } from '../../src/kms/domain/identifiers';
import { EventStore } from '../../src/event-store/event-store';
import type { StoredEvent } from '../../src/event-store/event.types';
import { AuditEventsProjection } from '../../src/projections/audit/audit-events.projection';
import { type AuditFilters, AuditEventsReader } from '../../src/projections/audit/audit-events.reader';
import { K1, K2, cn, eu, everyKindOfCall } from '../support/audit-calls';

const alice = 'arn:aws:iam::111122223333:user/Alice';
import { auditRows, foldAudit } from '../support/audit-fold';
import { kmsHistory } from '../support/rebuild-history';
import { OBSERVED_ACCOUNT, importedRecords } from '../support/imported-records';
import { wholeLog } from '../support/rebuild-log';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * The searchable columns come from SQL (audit_event_parts in db/functions/audit_events.sql) and the records
 * from TypeScript (auditPartOf): for every kind of call they must say the same, or searches would
 * find records that do not show what was searched for.
 */
describe('the audit columns SQL extracts and the records TypeScript builds', () => {
  let database: TestDatabase;
  let events: StoredEvent[];

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = new EventStore(database.pool, database.db);
    await store.append(everyKindOfCall('c'));
    // Volume: random histories, with their odd service-less deletions and events of other kinds.
    for (const [i, seed] of [21, 22].entries())
      await store.append(kmsHistory({ seed, units: 300, accountId: String(500000000000 + i) }).flat());
    // Imported CloudTrail records of an observed account (issue 16), odd ones included.
    await store.append(importedRecords());
    events = await wholeLog(store, database.db);
    await database.db.transaction().execute((trx) => new AuditEventsProjection().apply(trx, events));
  });
  afterAll(() => database.drop());

  it('gives each call the row its record says, and no row to events in no record', async () => {
    const rows = await auditRows(database.db);
    expect(rows).toEqual(foldAudit(events));
    expect(rows.length).toBeGreaterThan(500);
    // The imported records: one row each, their columns read from the records themselves.
    const observed = rows.filter((r) => r.account_id === OBSERVED_ACCOUNT);
    expect(observed.map((r) => r.event_name)).toEqual([
      'CreateKey',
      'Encrypt',
      'CreateAlias',
      'ListAliases',
      'Unknown',
    ]);
    expect(observed.find((r) => r.event_name === 'CreateAlias')).toMatchObject({
      error_code: 'AlreadyExistsException',
      resource_names: ['alias/app', '0b1e6d8a-8f0e-4c47-9b84-5e0c2d6f7a11'],
    });
    expect(observed.find((r) => r.event_name === 'Encrypt')).toMatchObject({
      read_only: true,
      named_aliases: ['alias/app'],
    });
    // Every kind above is there.
    const mine = rows.filter((r) => r.account_id === eu.accountId);
    expect(new Set(mine.map((r) => r.event_name))).toEqual(
      new Set([
        'ConsoleLogin',
        'CreateKey',
        'CreateAlias',
        'UpdateAlias',
        'DeleteAlias',
        'DisableKey',
        'EnableKey',
        'ScheduleKeyDeletion',
        'CancelKeyDeletion',
        'ListAliases',
        'DescribeKey',
        'DeleteKey',
        'Encrypt',
        'GenerateDataKey',
        'Decrypt',
        'ReEncrypt',
        'CreateGrant',
        'RetireGrant',
        'RevokeGrant',
        'ListGrants',
        'TagResource',
        'PutKeyPolicy',
        'RotateKeyOnDemand',
        'RotateKey',
      ]),
    );
    const named = mine.filter((r) => (r.named_aliases as string[]).length > 0);
    expect(named.map((r) => [r.event_name, r.named_aliases])).toEqual([
      ['EnableKey', ['alias/finance']],
      ['DescribeKey', ['alias/finance']],
      ['DescribeKey', ['alias/gone']],
      ['Encrypt', ['alias/finance']],
      ['GenerateDataKey', ['alias/finance']],
      ['ReEncrypt', ['alias/a', 'alias/b']],
      ['Encrypt', ['alias/missing']],
    ]);
    expect(new Set(mine.map((r) => r.principal_arn))).toEqual(new Set([alice, null]));
    expect(mine.filter((r) => r.region === cn.region).map((r) => r.resource_names)).toEqual([[K1, 'alias/china']]);
    expect(mine.find((r) => r.call_id === 'c-deletion-1')!.resource_names).toEqual([K2, 'alias/b', 'alias/a']);
  });

  // kms-crypto §8.4: the call's record and KMS's RotateKey service event, each a row of its own.
  it('gives an on-demand rotation two rows: the RotateKeyOnDemand call and the RotateKey service event', async () => {
    const rows = await auditRows(database.db);
    const switched = events.find(
      (e) =>
        e.type === 'KeyMaterialRotated' &&
        e.metadata.invokedBy !== undefined &&
        (e.data as { rotationType: string }).rotationType === 'ON_DEMAND',
    )!;
    const call = events.find((e) => e.position === switched.position - 1n)!;
    expect(call.type).toBe('KmsCallRecorded');
    const rowOf = (e: StoredEvent) => rows.find((r) => r.seq === e.position.toString())!;
    expect([rowOf(call).call_id, rowOf(call).event_name, rowOf(call).source_ip]).toEqual([
      call.metadata.requestId,
      'RotateKeyOnDemand',
      '192.0.2.10',
    ]);
    expect([rowOf(switched).call_id, rowOf(switched).event_name, rowOf(switched).source_ip]).toEqual([
      switched.metadata.callId,
      'RotateKey',
      'AWS Internal',
    ]);
    const [head] = auditEntriesOf([switched]).map((e) => e.head!);
    expect(head!.record.serviceEventDetails).toEqual({
      rotationType: 'ON_DEMAND',
      keyOrigin: 'AWS_KMS',
      previousKeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/),
      currentKeyMaterialId: 'm3',
    });
  });

  it('serves records built from the events at the positions of each row', async () => {
    const reader = new AuditEventsReader(database.db);
    for (const scope of [eu, cn]) {
      const views = await reader.search(scope, { order: 'oldest', limit: 1000 });
      const expected = auditEntriesOf(events).filter(
        (e) => e.head && e.head.accountId === scope.accountId && e.head.region === scope.region,
      );
      expect(views.map((v) => v.eventId).sort()).toEqual(expected.map((e) => e.head!.eventId).sort());
      for (const view of views) {
        const entry = expected.find((e) => e.head!.eventId === view.eventId)!;
        const { record, accountId, region, ...head } = entry.head!;
        expect([scope, accountId, region]).toEqual([scope, scope.accountId, scope.region]);
        expect(view).toEqual({ seq: entry.seq, ...head, resources: entry.resources, record: expect.any(Object) });
        expect(JSON.stringify(view.record)).toBe(JSON.stringify(withResourcesAfterReadOnly(record, view.resources)));
      }
    }
  });

  it('finds by each filter the records whose fields match it, resources by name or ARN', async () => {
    const reader = new AuditEventsReader(database.db);
    const records = auditEntriesOf(events).filter(
      (e) => e.head && e.head.accountId === eu.accountId && e.head.region === eu.region,
    );
    const found = async (filters: AuditFilters) =>
      (await reader.search(eu, { ...filters, order: 'oldest', limit: 1000 })).map((v) => v.eventId).sort();
    const where = (holds: (entry: AuditEntry) => boolean) =>
      records
        .filter(holds)
        .map((e) => e.head!.eventId)
        .sort();
    for (const arn of new Set(records.flatMap((e) => e.resources.map((r) => r.ARN)))) {
      const named = where((e) => e.resources.some((r) => r.ARN === arn));
      expect([arn, await found({ resources: [arn] })]).toEqual([arn, named]);
      expect([arn, await found({ resources: [resourceNameOf(arn)] })]).toEqual([arn, named]);
    }
    expect(await found({ resources: [`arn:aws:kms:us-east-1:${eu.accountId}:key/${K1}`] })).toEqual([]);
    expect(await found({ resources: ['alias/finance', K2] })).toEqual(
      where((e) => e.resourceNames.includes('alias/finance') && e.resourceNames.includes(K2)),
    );
    // By alias: the calls that named it as their key (crypto calls list only the key) or list it.
    for (const alias of ['alias/finance', 'alias/a', 'alias/b', 'alias/missing', 'alias/gone', 'alias/none']) {
      const through = where((e) => e.head!.namedAliases.includes(alias) || e.resourceNames.includes(alias));
      expect([alias, await found({ alias })]).toEqual([alias, through]);
      expect([alias, await found({ alias: aliasArn(eu, alias) })]).toEqual([alias, through]);
    }
    const encrypts = where((e) => e.head!.eventName === 'Encrypt' && e.head!.namedAliases.includes('alias/finance'));
    expect(encrypts).toHaveLength(1);
    expect(await found({ alias: 'alias/finance', eventNames: ['Encrypt', 'Decrypt'] })).toEqual(encrypts);
    expect(await found({ alias: 'arn:aws:kms:eu-west-1:444455556666:alias/finance' })).toEqual([]);
    expect(await found({ alias: K1 })).toEqual([]);
    expect(await found({ eventNames: ['Encrypt', 'Decrypt'] })).toEqual(
      where((e) => ['Encrypt', 'Decrypt'].includes(e.head!.eventName)),
    );
    expect(await found({ resourceType: 'AWS::KMS::Key' })).toEqual(where((e) => e.resources.length > 0));
    expect(await found({ errorCode: '*' })).toEqual(where((e) => e.head!.errorCode !== null));
    expect(await found({ readOnly: true })).toEqual(where((e) => e.head!.readOnly));
    // The service events: DeleteKey (spec §12.7) and RotateKey (kms-crypto §8.4).
    expect(await found({ sourceIp: 'AWS Internal' })).toEqual(
      where((e) => ['DeleteKey', 'RotateKey'].includes(e.head!.eventName)),
    );
    for (const entry of records) {
      expect(await found({ eventId: entry.head!.eventId })).toEqual([entry.head!.eventId]);
    }
    const fragment = events.find((e) => e.type === 'AliasDeleted' && e.metadata.invokedBy !== undefined)!;
    expect(await found({ eventId: fragment.eventId })).toEqual([]);
  });
});

/** A record in spec §12's order: its resources right after readOnly. */
function withResourcesAfterReadOnly(record: Record<string, unknown>, resources: unknown): Record<string, unknown> {
  const fields = Object.entries(record);
  const at = fields.findIndex(([name]) => name === 'readOnly') + 1;
  return Object.fromEntries([...fields.slice(0, at), ['resources', resources], ...fields.slice(at)]);
}
