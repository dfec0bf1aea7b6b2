import * as path from 'node:path';
import type { Kysely } from 'kysely';
import { importCloudTrail } from '../../src/cloudtrail-import/cloudtrail-importer';
import { listCloudTrailFiles } from '../../src/cloudtrail-import/cloudtrail-files';
import type { Database } from '../../src/database/database.types';
import { aliasChangeRecord, keyChangeRecord, kmsRecord, writeS3LogFile } from '../support/cloudtrail-files';
import { graphql } from '../support/graphql-client';
import { queryApi } from '../support/query-client';
import { rebuildTemporal, temporalAliasIds } from '../support/temporal-rebuild';
import type { KmsTestApp } from '../support/kms-test-app';
import { type ImportingApp, startImportingApp } from '../support/importing-app';

const OBSERVED = '777788889999';
const observer = {
  accessKeyId: 'AKIAOBSERVEDMODELS01',
  secretAccessKey: 'observed-models-secret-0000000000000000',
  accountId: OBSERVED,
  arn: `arn:aws:iam::${OBSERVED}:user/Auditor`,
  userName: 'Auditor',
  // The key tables show only keys the caller may describe (kms:DescribeKey), as for a served account.
  policies: [
    {
      Statement: {
        Effect: 'Allow',
        Action: [
          'aliastrail:*',
          'kms:DescribeKey',
          'kms:ListResourceTags',
          'kms:GetKeyPolicy',
          'kms:GetKeyRotationStatus',
        ],
        Resource: '*',
      },
    },
  ],
};
const K1 = '11111111-1111-4111-8111-111111111111';
const K2 = '22222222-2222-4222-8222-222222222222';
const K3 = '33333333-3333-4333-8333-333333333333';
const T = (hhmm: string) => `2026-03-01T${hhmm}:00Z`;

/**
 * An observed account's alias history, folded from imported CloudTrail records in event time: what an
 * alias pointed to at T, its history and what changed between two times, over REST and GraphQL; a
 * file delivered late rewrites the history after it; before the evidence nothing is guessed.
 */
describe('point-in-time answers for an observed account', () => {
  let app: ImportingApp;
  let kms: KmsTestApp;
  let db: Kysely<Database>;
  let root: string;

  beforeAll(async () => {
    app = await startImportingApp([observer]);
    ({ kms, db, root } = app);
  });
  afterAll(async () => app.close());

  const importFile = async (name: string, records: object[]) => {
    const dir = path.join(root, name);
    writeS3LogFile(dir, OBSERVED, 'us-east-1', name, records);
    return importCloudTrail(db, await listCloudTrailFiles([dir]));
  };
  /** A question once the model has applied every import so far. */
  const ask = async (pathAndQuery: string) => {
    const separator = pathAndQuery.includes('?') ? '&' : '?';
    return queryApi(kms.url, `/api/regions/us-east-1/${pathAndQuery}${separator}waitForPosition=latest`, {
      credentials: observer,
      region: 'us-east-1',
    });
  };
  const aliasAt = async (name: string, at: string) => (await ask(`alias?name=${name}&at=${at}`)).body;

  it('answers from the records in event time, ignores failed calls, and says the target it cannot know', async () => {
    const summary = await importFile('first', [
      keyChangeRecord(OBSERVED, 'CreateKey', T('10:00'), K1),
      keyChangeRecord(OBSERVED, 'CreateKey', T('10:01'), K2),
      // Out of order within the file, as CloudTrail may write them.
      aliasChangeRecord(OBSERVED, 'UpdateAlias', T('12:00'), 'alias/pay', K2),
      aliasChangeRecord(OBSERVED, 'CreateAlias', T('10:05'), 'alias/pay', K1),
      aliasChangeRecord(OBSERVED, 'UpdateAlias', T('12:30'), 'alias/pay', K1, {
        errorCode: 'NotFoundException',
        errorMessage: 'Alias is not found.',
        responseElements: null,
      }),
      // Created before the logs begin: its first record retargets it.
      aliasChangeRecord(OBSERVED, 'UpdateAlias', T('11:00'), 'alias/legacy', K2),
      aliasChangeRecord(OBSERVED, 'DeleteAlias', T('11:30'), 'alias/old', K1),
    ]);
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
    await importFile('late', [
      keyChangeRecord(OBSERVED, 'CreateKey', T('11:20'), K3),
      aliasChangeRecord(OBSERVED, 'UpdateAlias', T('11:30'), 'alias/pay', K3),
      // The end of K2's waiting period: its aliases go with it.
      keyChangeRecord(OBSERVED, 'DeleteKey', T('13:00'), K2),
    ]);
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

  it('lists the keys the evidence shows at a moment, with their aliases then, and nothing it does not show', async () => {
    const at = (await ask(`keys?at=${T('11:00')}`)).body;
    expect(at).toMatchObject({ known: true, observed: { evidenceFrom: '2026-03-01T10:00:00.000Z' }, hiddenKeys: 0 });
    expect(at.keys).toEqual([
      expect.objectContaining({
        keyId: K1,
        keyState: 'Enabled',
        keySpec: 'SYMMETRIC_DEFAULT',
        creationDate: '2026-03-01T10:00:00.000Z',
        aliases: ['alias/old', 'alias/pay'],
      }),
      expect.objectContaining({ keyId: K2, aliases: ['alias/legacy'] }),
    ]);
    // K2's waiting period ended at 13:00 (the DeleteKey service event): gone, with its aliases.
    const later = (await ask(`keys?at=${T('13:30')}`)).body.keys;
    expect(later.map((k: { keyId: string }) => k.keyId)).toEqual([K1, K3]);
    expect((await ask(`keys/${K3}?at=${T('13:30')}`)).body.key).toMatchObject({
      keyId: K3,
      keyState: 'Enabled',
      tags: [],
      policyIsDefault: true,
      rotation: { keyRotationEnabled: false, rotationPeriodInDays: null, nextRotationDate: null },
    });
    // The key operations of the crypto issue: description, tags, policy and rotation, as the records set them.
    const resources = [
      { accountId: OBSERVED, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-east-1:${OBSERVED}:key/${K3}` },
    ];
    const keyRecord = (eventName: string, eventTime: string, requestParameters: object) =>
      kmsRecord({
        accountId: OBSERVED,
        eventName,
        eventTime,
        requestParameters: { keyId: K3, ...requestParameters },
        resources,
      });
    const policy = '{"Version":"2012-10-17","Statement":[]}';
    await importFile('settings', [
      keyRecord('UpdateKeyDescription', T('12:20'), { description: 'payments' }),
      keyRecord('TagResource', T('12:21'), {
        tags: [
          { tagKey: 'team', tagValue: 'pay' },
          { tagKey: 'tier', tagValue: '1' },
        ],
      }),
      keyRecord('UntagResource', T('12:22'), { tagKeys: ['tier'] }),
      keyRecord('PutKeyPolicy', T('12:23'), { policyName: 'default', policy }),
      keyRecord('EnableKeyRotation', T('12:24'), { rotationPeriodInDays: 180 }),
      // Refused: changes nothing.
      { ...keyRecord('DisableKeyRotation', T('12:25'), {}), errorCode: 'AccessDeniedException' },
    ]);
    expect((await ask(`keys/${K3}?at=${T('13:30')}`)).body.key).toMatchObject({
      description: 'payments',
      tags: [{ TagKey: 'team', TagValue: 'pay' }],
      policy,
      policyIsDefault: false,
      rotation: { keyRotationEnabled: true, rotationPeriodInDays: 180, nextRotationDate: null },
    });
    // As they were before those records.
    expect((await ask(`keys/${K3}?at=${T('12:20')}`)).body.key).toMatchObject({ description: 'payments', tags: [] });
    expect((await ask(`keys?at=${T('09:00')}`)).body).toMatchObject({ known: false, keys: [] });
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
    const schemas = ((await (await fetch(`${kms.url}/docs-json`)).json()) as any).components.schemas;
    const declared = (name: string, value: Record<string, unknown>) => {
      const schema = schemas[name];
      expect({ name, missing: schema.required.filter((m: string) => !(m in value)) }).toEqual({ name, missing: [] });
      expect({ name, undeclared: Object.keys(value).filter((m) => !(m in schema.properties)) }).toEqual({
        name,
        undeclared: [],
      });
    };
    const legacy = await aliasAt('alias/legacy', T('10:30'));
    declared('AliasAtAnswer', legacy);
    declared('AliasVersion', legacy.alias);
    declared('AliasAtAnswer', await aliasAt('alias/pay', T('09:00')));
    declared('DiffAnswer', (await ask(`diff?from=${T('10:30')}&to=${T('12:45')}`)).body);
    declared('AliasHistoryAnswer', (await ask('alias/history?name=alias/legacy')).body);
    declared('KeyAliasesAnswer', (await ask(`keys/${K2}/aliases?at=${T('12:45')}`)).body);
    declared('AliasNotFoundAnswer', (await ask(`alias?name=alias/old&at=${T('11:45')}`)).body);
    declared('KeysAtAnswer', (await ask(`keys?at=${T('11:00')}`)).body);
    declared('KeyAtAnswer', (await ask(`keys/${K1}?at=${T('11:00')}`)).body);
  });

  it('answers the same over GraphQL, the unknown target and the missing start as nulls', async () => {
    const { status, body } = await graphql(
      kms.url,
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
      kms.url,
      `{ early: alias(region: "us-east-1", name: "alias/pay", at: "${T('09:00')}") {
           known observed { evidenceFrom } alias { targetKeyId } }
         page: aliasesAt(region: "us-east-1", at: "${T('09:00')}") { known nodes { aliasName } }
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
    expect(before.body.data.diff.known).toBe(true);
    expect(before.body.data.diff.changes).toContainEqual({ aliasName: 'alias/legacy', before: 'unknown', after: K2 });
  });

  it('rebuilds to the same model: the rebuild folds the imported records as the live projection does', async () => {
    const idsBefore = await temporalAliasIds(kms.database.db);
    expect(idsBefore.every((row) => row.alias_id < 0)).toBe(true);
    const before = (await ask('alias/history?name=alias/pay')).body.versions;
    const legacy = (await ask('alias/history?name=alias/legacy')).body.versions;
    expect(await rebuildTemporal(kms.url, observer, 'us-east-1')).toEqual({ status: 'done', error: null });
    expect((await ask('alias/history?name=alias/pay')).body.versions).toEqual(before);
    expect((await ask('alias/history?name=alias/legacy')).body.versions).toEqual(legacy);
    // The same ids too: observed aliases number downward, in the order the log first names them.
    expect(await temporalAliasIds(kms.database.db)).toEqual(idsBefore);
  });
});
