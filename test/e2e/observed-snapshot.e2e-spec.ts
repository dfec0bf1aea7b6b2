import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, KMSClient, UpdateAliasCommand } from '@aws-sdk/client-kms';
import type { Kysely } from 'kysely';
import { exportCloudTrail } from '../../src/cloudtrail-export/cloudtrail-export';
import { importCloudTrail } from '../../src/cloudtrail-import/cloudtrail-importer';
import { listCloudTrailFiles } from '../../src/cloudtrail-import/cloudtrail-files';
import { takeKmsSnapshot } from '../../src/cloudtrail-import/kms-snapshot';
import { importSnapshot } from '../../src/cloudtrail-import/snapshot-importer';
import { createKysely, createPool } from '../../src/database/create-database';
import type { Database } from '../../src/database/database.types';
import { AuditEventsReader } from '../../src/projections/audit/audit-events.reader';
import { type RunningService, startMoto } from '../bench/bench-services';
import { aliasChangeRecord, writeS3LogFile } from '../support/cloudtrail-files';
import { queryApi } from '../support/query-client';
import { rebuildTemporal, temporalAliasIds } from '../support/temporal-rebuild';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { toolsRequired } from '../support/required-tools';
import { clockRequest } from '../support/controllable-clock';

const REGION = 'us-east-1';
const operator = {
  accessKeyId: 'AKIASNAPSHOTOPERATOR',
  secretAccessKey: 'snapshot-operator-secret-000000000000000',
  accountId: '710000000001',
  arn: 'arn:aws:iam::710000000001:user/Operator',
  userName: 'Operator',
  policies: [{ Statement: { Effect: 'Allow', Action: ['kms:*', 'aliastrail:*'], Resource: '*' } }],
};
/** moto's one account, read as an observed account. */
const MOTO_ACCOUNT = '123456789012';
const motoAuditor = {
  accessKeyId: 'AKIAMOTOAUDITOR00001',
  secretAccessKey: 'moto-auditor-secret-00000000000000000000',
  accountId: MOTO_ACCOUNT,
  arn: `arn:aws:iam::${MOTO_ACCOUNT}:user/Auditor`,
  userName: 'Auditor',
  policies: [{ Statement: { Effect: 'Allow', Action: ['aliastrail:*'], Resource: '*' } }],
};
const GHOST_KEY = '99999999-9999-4999-8999-999999999999';

const motoPresent = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v moto_server'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * `import snapshot`: the live state of an account (ListKeys, DescribeKey, ListAliases through the
 * SDK) recorded as evidence of an observed account. The records of a trail that began late say
 * nothing of what was created before; the snapshot says where each alias pointed when it was
 * taken, and the reconciliation report names what the records lack or contradict.
 */
describe('a snapshot of an observed account, and its reconciliation with the records', () => {
  let source: KmsTestApp;
  let target: KmsTestApp;
  let targetDb: Kysely<Database>;
  let root: string;
  let client: KMSClient;
  const keys: string[] = [];
  let windowStart = 0;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-snapshot-'));
    const principals = path.join(root, 'principals.json');
    fs.writeFileSync(principals, JSON.stringify({ principals: [operator, motoAuditor] }));
    const env = { ALIASTRAIL_PRINCIPALS_FILE: principals, ALIASTRAIL_POLL_INTERVAL_MS: '20' };
    source = await startKmsApp({ ...env, ALIASTRAIL_CLOCK: 'controllable', ALIASTRAIL_EVENT_TIME_CAP_MS: '0' });
    target = await startKmsApp(env);
    targetDb = createKysely(createPool(target.database.url, { max: 1, idleTransactionTimeoutMs: 30_000 }));
    client = source.client({ region: REGION, ...operator });
  });
  afterAll(async () => {
    await targetDb.destroy();
    await source.close();
    await target.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const advance = async (seconds: number) =>
    ((await (await clockRequest(source.url, seconds)).json()) as { now: number }) /* epoch seconds */.now;
  const ask = async (who: { accessKeyId: string; secretAccessKey: string }, pathAndQuery: string) =>
    queryApi(target.url, `/api/regions/${REGION}/${pathAndQuery}&waitForPosition=latest`, {
      credentials: who,
      region: REGION,
    });

  it('fills in what the records cannot show, and reports what they lack or contradict', async () => {
    // Before the trail: two keys, an alias that never changes and one that changes later.
    for (let i = 0; i < 2; i++) keys.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/static', TargetKeyId: keys[0] }));
    await client.send(new CreateAliasCommand({ AliasName: 'alias/early', TargetKeyId: keys[0] }));
    // The trail begins an hour later (its files hold only what follows).
    windowStart = (await advance(3600)) * 1000;
    await advance(5);
    keys.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    await advance(5);
    await client.send(new UpdateAliasCommand({ AliasName: 'alias/early', TargetKeyId: keys[1] }));
    await advance(10);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/late', TargetKeyId: keys[2] }));
    await advance(10);

    const exported = path.join(root, 'export');
    for (let i = 0; i < 200; i++) {
      const summary = await exportCloudTrail(new AuditEventsReader(source.database.db), exported, {
        accountId: operator.accountId,
      });
      if (summary.records >= 7) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const files = (await listCloudTrailFiles([exported])).filter((file) => {
      const stamp = /_(\d{8}T\d{4})Z_/.exec(file.path)![1]!;
      const at = Date.parse(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 11)}:${stamp.slice(11)}:00Z`);
      return at >= Math.floor(windowStart / 300_000) * 300_000;
    });
    expect(files.length).toBeGreaterThan(0);
    await importCloudTrail(targetDb, files);
    // Records the live state contradicts: an alias to a key that is gone, and a move to another key.
    const fabricated = path.join(root, 'fabricated');
    const late = new Date(windowStart + 25_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    writeS3LogFile(fabricated, operator.accountId, REGION, 'x', [
      aliasChangeRecord(operator.accountId, 'CreateAlias', late, 'alias/ghost', GHOST_KEY),
      aliasChangeRecord(operator.accountId, 'UpdateAlias', late, 'alias/late', keys[0]!),
    ]);
    await importCloudTrail(targetDb, await listCloudTrailFiles([fabricated]));

    const during = new Date(windowStart + 7_000).toISOString();
    // Before the snapshot, the records alone: alias/static is unknown to them, alias/early's first target too.
    const staticBefore = await ask(operator, `alias?name=alias/static&at=${during}`);
    expect([staticBefore.status, staticBefore.body.known]).toEqual([404, true]);
    expect((await ask(operator, `alias?name=alias/early&at=${during}`)).body.alias).toMatchObject({
      targetKeyId: null,
    });

    await advance(10);
    const snapshot = await takeKmsSnapshot(client, { now: () => new Date(windowStart + 60_000) });
    expect(snapshot).toMatchObject({ accountId: operator.accountId, region: REGION });
    const { findings } = await importSnapshot(targetDb, snapshot);
    const customer = findings.filter((f) => !f.subject.startsWith('alias/aws/'));
    expect(customer.map((f) => [f.kind, f.subject])).toEqual([
      // The snapshot's aliases in name order, then what the records have that it does not.
      ['alias-created-before-window', 'alias/early'],
      ['alias-target-differs', 'alias/late'],
      ['alias-created-before-window', 'alias/static'],
      ['alias-missing-from-snapshot', 'alias/ghost'],
      ...[keys[0]!, keys[1]!].sort().map((k) => ['key-created-before-window', k]),
      ['key-missing-from-snapshot', GHOST_KEY],
    ]);

    // With the snapshot: alias/static held keys[0] all through the evidence, from before it.
    expect((await ask(operator, `alias?name=alias/static&at=${during}`)).body.alias).toMatchObject({
      targetKeyId: keys[0],
      validFrom: null,
      beganBeforeEvidence: true,
    });
    // The snapshot shows alias/late on keys[2], where the records left it on keys[0]: from then on, keys[2].
    const after = new Date(windowStart + 61_000).toISOString();
    expect((await ask(operator, `alias?name=alias/late&at=${after}`)).body.alias).toMatchObject({
      targetKeyId: keys[2],
    });
    const history = (await ask(operator, 'alias/history?name=alias/late')).body.versions;
    expect(
      history.map((v: { targetKeyId: string; endedReason: string | null }) => [v.targetKeyId, v.endedReason]),
    ).toEqual([
      [keys[2], 'retargeted'],
      [keys[0], 'snapshot-differs'],
      [keys[2], null],
    ]);
    // A rebuild folds snapshots as live application did: the same versions, the same alias ids.
    const ids = await temporalAliasIds(target.database.db);
    expect(await rebuildTemporal(target.url, operator, REGION)).toEqual({ status: 'done', error: null });
    expect((await ask(operator, 'alias/history?name=alias/late')).body.versions).toEqual(history);
    expect(await temporalAliasIds(target.database.db)).toEqual(ids);
  });

  (motoPresent || toolsRequired ? describe : describe.skip)('from moto_server, the peer emulator', () => {
    let moto: RunningService;
    beforeAll(async () => {
      moto = await startMoto();
    });
    afterAll(async () => moto?.stop());

    it('records moto’s account as observed, its aliases held from before the evidence', async () => {
      const motoClient = new KMSClient({
        endpoint: moto.url,
        region: REGION,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      try {
        const key = (await motoClient.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
        await motoClient.send(new CreateAliasCommand({ AliasName: 'alias/from-moto', TargetKeyId: key }));
        const snapshot = await takeKmsSnapshot(motoClient);
        expect(snapshot.accountId).toBe(MOTO_ACCOUNT);
        const { findings } = await importSnapshot(targetDb, snapshot);
        expect(findings).toContainEqual(
          expect.objectContaining({ kind: 'alias-created-before-window', subject: 'alias/from-moto' }),
        );
        const answer = await ask(motoAuditor, `alias?name=alias/from-moto&at=${snapshot.takenAt}`);
        expect(answer.body).toMatchObject({
          known: true,
          observed: { evidenceFrom: snapshot.takenAt },
          alias: { targetKeyId: key, beganBeforeEvidence: true },
        });
      } finally {
        motoClient.destroy();
      }
    });
  });
});
