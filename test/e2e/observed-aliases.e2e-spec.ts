import { aliasChangeRecord } from '../support/cloudtrail-files';
import { graphql } from '../support/graphql-client';
import { declaredIn } from '../support/openapi-members';
import { rebuildTemporal, temporalAliasIds } from '../support/temporal-rebuild';
import { type ImportingApp, startImportingApp } from '../support/importing-app';
import {
  K1,
  K2,
  K3,
  OBSERVED,
  T,
  firstRecords,
  lateRecords,
  observedAccount,
  observer,
} from '../support/observed-fixture';

/**
 * An observed account's alias history, folded from imported CloudTrail records in event time: what an
 * alias pointed to at T, its history and what changed between two times, over REST and GraphQL; a
 * file delivered late rewrites the history after it; before the evidence nothing is guessed.
 */
describe('point-in-time answers for an observed account', () => {
  let app: ImportingApp;
  beforeAll(async () => {
    app = await startImportingApp([observer]);
  });
  afterAll(async () => app.close());
  const { importFile, ask } = observedAccount(() => app);
  const aliasAt = async (name: string, at: string) => (await ask(`alias?name=${name}&at=${at}`)).body;

  it('answers from the records in event time, ignores failed calls, and says the target it cannot know', async () => {
    const summary = await importFile('first', firstRecords());
    expect(summary).toMatchObject({ added: 7, files: { done: 1, failed: 0 } });

    const pay = await aliasAt('alias/pay', T('11:00'));
    expect(pay).toMatchObject({
      at: '2026-03-01T11:00:00.000Z',
      known: true,
      final: false,
      observed: { evidenceFrom: '2026-03-01T10:00:00.000Z', evidenceTo: '2026-03-01T12:30:00.000Z' },
      alias: { aliasName: 'alias/pay', targetKeyId: K1, validFrom: '2026-03-01T10:05:00.000Z' },
    });
    expect(pay.alias.startedBy).toMatchObject({ eventName: 'CreateAlias', sourceIPAddress: '198.51.100.7' });
    expect((await aliasAt('alias/pay', T('12:45'))).alias).toMatchObject({ targetKeyId: K2 });
    expect(await aliasAt('alias/legacy', T('10:30'))).toMatchObject({
      known: true,
      alias: { targetKeyId: null, targetKnown: false, validFrom: null, beganBeforeEvidence: true, startedBy: null },
    });
    expect((await aliasAt('alias/old', T('11:15'))).alias).toMatchObject({
      targetKeyId: K1,
      validTo: T('11:30').replace('Z', '.000Z'),
    });
    const gone = await ask(`alias?name=alias/old&at=${T('11:45')}`);
    expect(gone.status).toBe(404);

    // Before the earliest record nothing is known: not "absent".
    const before = await ask(`alias?name=alias/pay&at=${T('09:00')}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      known: false,
      alias: null,
      observed: { evidenceFrom: '2026-03-01T10:00:00.000Z' },
    });

    const diff = (await ask(`diff?from=${T('10:30')}&to=${T('12:45')}`)).body;
    expect(diff).toMatchObject({ known: true, observed: { evidenceFrom: '2026-03-01T10:00:00.000Z' } });
    expect(diff.changes).toEqual([
      { aliasName: 'alias/legacy', before: 'unknown', after: K2 },
      { aliasName: 'alias/old', before: K1, after: null },
      { aliasName: 'alias/pay', before: K1, after: K2 },
    ]);

    const positioned = await ask(`alias?name=alias/pay&atPosition=1`);
    expect(positioned.status).toBe(400);
    expect(positioned.body.error ?? positioned.body).toMatchObject({ code: 'UnsupportedCut' });
  });

  it('takes a late file into the history at its event time, and the answers after it change', async () => {
    const earlier = await ask(`alias?name=alias/pay&at=${T('11:45')}`);
    expect(earlier.body.alias).toMatchObject({ targetKeyId: K1 });
    await importFile('late', lateRecords());
    const later = await ask(`alias?name=alias/pay&at=${T('11:45')}`);
    expect(later.body.alias).toMatchObject({ targetKeyId: K3, validFrom: '2026-03-01T11:30:00.000Z' });
    expect(later.body.position).not.toBe(earlier.body.position);

    const history = (await ask('alias/history?name=alias/pay')).body;
    expect(history.observed).toMatchObject({ evidenceTo: '2026-03-01T13:00:00.000Z' });
    expect(
      history.versions.map((v: { targetKeyId: string; validFrom: string; endedReason: string | null }) => [
        v.targetKeyId,
        v.validFrom.slice(11, 16),
        v.endedReason,
      ]),
    ).toEqual([
      [K1, '10:05', 'retargeted'],
      [K3, '11:30', 'retargeted'],
      [K2, '12:00', 'key-deleted'],
    ]);
    expect((await ask(`alias?name=alias/legacy&at=${T('13:30')}`)).status).toBe(404);
    const keyHistory = (await ask(`keys/${K2}/history`)).body;
    expect(keyHistory.versions.map((v: { aliasName: string }) => v.aliasName).sort()).toEqual([
      'alias/legacy',
      'alias/pay',
    ]);
  });

  it('keeps the order of the file for records of the same second, whatever their eventIDs', async () => {
    // CloudTrail's times are whole seconds: a delete and a re-create in one second come in file order.
    const deleted = aliasChangeRecord(OBSERVED, 'DeleteAlias', T('12:10'), 'alias/swap', K1, {
      eventID: 'ffffffff-0000-4000-8000-000000000001',
    });
    const created = aliasChangeRecord(OBSERVED, 'CreateAlias', T('12:10'), 'alias/swap', K3, {
      eventID: '00000000-0000-4000-8000-000000000002',
    });
    await importFile('same-second', [
      aliasChangeRecord(OBSERVED, 'CreateAlias', T('12:05'), 'alias/swap', K1),
      deleted,
      created,
    ]);
    expect((await aliasAt('alias/swap', T('12:15'))).alias).toMatchObject({ targetKeyId: K3 });
    const versions = (await ask('alias/history?name=alias/swap')).body.versions;
    expect(
      versions.map((v: { targetKeyId: string; endedReason: string | null }) => [v.targetKeyId, v.endedReason]),
    ).toEqual([
      [K1, 'deleted'],
      [K3, null],
    ]);
  });

  it('declares every member of its answers in the OpenAPI document', async () => {
    const check = await declaredIn(app.kms.url);
    const declared = (name: string, value: Record<string, unknown>) =>
      expect(check(name, value)).toEqual({ name, missing: [], undeclared: [] });
    const legacy = await aliasAt('alias/legacy', T('10:30'));
    declared('AliasAtAnswer', legacy);
    declared('AliasVersion', legacy.alias);
    declared('AliasAtAnswer', await aliasAt('alias/pay', T('09:00')));
    declared('DiffAnswer', (await ask(`diff?from=${T('10:30')}&to=${T('12:45')}`)).body);
    declared('AliasHistoryAnswer', (await ask('alias/history?name=alias/legacy')).body);
    declared('KeyAliasesAnswer', (await ask(`keys/${K2}/aliases?at=${T('12:45')}`)).body);
    declared('AliasNotFoundAnswer', (await ask(`alias?name=alias/old&at=${T('11:45')}`)).body);
  });

  it('answers the same over GraphQL, the unknown target and the missing start as nulls', async () => {
    const { status, body } = await graphql(
      app.kms.url,
      `
        {
          history(region: "us-east-1", aliasName: "alias/legacy") {
            versions {
              targetKeyId
              validFrom
              startedBy {
                eventName
              }
              endedReason
            }
            changes {
              eventName
              fromKeyId
              toKeyId
            }
          }
        }
      `,
      {},
      { credentials: observer, region: 'us-east-1' },
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.history.versions).toEqual([
      { targetKeyId: null, validFrom: null, startedBy: null, endedReason: 'retargeted' },
      {
        targetKeyId: K2,
        validFrom: '2026-03-01T11:00:00.000Z',
        startedBy: { eventName: 'UpdateAlias' },
        endedReason: 'key-deleted',
      },
    ]);
    expect(body.data.history.changes).toEqual([
      { eventName: 'UpdateAlias', fromKeyId: null, toKeyId: K2 },
      { eventName: 'DeleteKey', fromKeyId: K2, toKeyId: null },
    ]);
    const before = await graphql(
      app.kms.url,
      `{ early: alias(region: "us-east-1", name: "alias/pay", at: "${T('09:00')}") {
           known observed { evidenceFrom } alias { targetKeyId } }
         page: aliasesAt(region: "us-east-1", at: "${T('09:00')}") { known nodes { aliasName } }
         key(region: "us-east-1", keyId: "${K2}") {
           observed { evidenceFrom } aliases(at: "${T('09:00')}") { known aliases { aliasName } } }
         diff(region: "us-east-1", from: "${T('10:30')}", to: "${T('12:45')}") {
           known changes { aliasName before after } } }`,
      {},
      { credentials: observer, region: 'us-east-1' },
    );
    expect(before.body.errors).toBeUndefined();
    expect(before.body.data.early).toEqual({
      known: false,
      observed: { evidenceFrom: '2026-03-01T10:00:00.000Z' },
      alias: null,
    });
    expect(before.body.data.page).toEqual({ known: false, nodes: [] });
    expect(before.body.data.key).toEqual({
      observed: { evidenceFrom: '2026-03-01T10:00:00.000Z' },
      aliases: { known: false, aliases: [] },
    });
    expect(before.body.data.diff.known).toBe(true);
    expect(before.body.data.diff.changes).toContainEqual({ aliasName: 'alias/legacy', before: 'unknown', after: K2 });
  });

  it('rebuilds to the same model: the rebuild folds the imported records as the live projection does', async () => {
    const idsBefore = await temporalAliasIds(app.kms.database.db);
    expect(idsBefore.every((row) => row.alias_id < 0)).toBe(true);
    const before = (await ask('alias/history?name=alias/pay')).body.versions;
    const legacy = (await ask('alias/history?name=alias/legacy')).body.versions;
    expect(await rebuildTemporal(app.kms.url, observer, 'us-east-1')).toEqual({ status: 'done', error: null });
    expect((await ask('alias/history?name=alias/pay')).body.versions).toEqual(before);
    expect((await ask('alias/history?name=alias/legacy')).body.versions).toEqual(legacy);
    // The same ids too: observed aliases number downward, in the order the log first names them.
    expect(await temporalAliasIds(app.kms.database.db)).toEqual(idsBefore);
  });
});
