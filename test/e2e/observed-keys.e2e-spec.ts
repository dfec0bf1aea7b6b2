import { kmsRecord } from '../support/cloudtrail-files';
import { type ImportingApp, startImportingApp } from '../support/importing-app';
import { declaredIn } from '../support/openapi-members';
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
 * An observed account's keys at a moment (GET /api/regions/{r}/keys, /keys/{id}), from its imported
 * records: their metadata, state and settings as the records set them, their aliases then, and null
 * where the evidence says nothing.
 */
describe("an observed account's keys", () => {
  let app: ImportingApp;
  beforeAll(async () => {
    app = await startImportingApp([observer]);
    await importFile('first', firstRecords());
    await importFile('late', lateRecords());
  });
  afterAll(async () => app.close());
  const { importFile, ask } = observedAccount(() => app);

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

  it('declares every member of its answers in the OpenAPI document', async () => {
    const check = await declaredIn(app.kms.url);
    const declared = (name: string, value: Record<string, unknown>) =>
      expect(check(name, value)).toEqual({ name, missing: [], undeclared: [] });
    declared('KeysAtAnswer', (await ask(`keys?at=${T('11:00')}`)).body);
    declared('KeyAtAnswer', (await ask(`keys/${K1}?at=${T('11:00')}`)).body);
    declared('KeyAtAnswer', (await ask(`keys/${K1}?at=${T('09:00')}`)).body);
  });
});
