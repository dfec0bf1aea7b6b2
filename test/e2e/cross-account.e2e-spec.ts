import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  type KMSClient,
  ListAliasesCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { pause } from '../support/alias-timeline';
import { graphql } from '../support/graphql-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { queryApi } from '../support/query-client';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
/** Another account's principal with full access to its own account (no policies). */
const INTRUDER = {
  accessKeyId: 'AKIAINTRUDERACCOUNT1',
  secretAccessKey: 'intruder-secret-access-key-000000000000',
  accountId: '999988887777',
  arn: 'arn:aws:iam::999988887777:user/Mallory',
  userName: 'Mallory',
};

/**
 * A principal of one account can neither see nor touch another account's keys, aliases or audit
 * records, through any API: every path is tried with the victim's ids, names and ARNs, and the
 * victim's model and audit trail are the same afterwards.
 */
describe('isolation between accounts', () => {
  let kms: KmsTestApp;
  let victim: KMSClient;
  let intruder: KMSClient;
  let keyId: string;
  let keyArn: string;
  const aliasName = 'alias/payroll';
  const aliasArn = `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:alias/payroll`;

  const failure = async (promise: Promise<unknown>) =>
    ((await promise.then(
      () => undefined,
      (e: unknown) => e,
    )) as { name: string; message: string } | undefined) ?? { name: 'succeeded', message: '' };

  const victimState = async () => ({
    aliases: (await victim.send(new ListAliasesCommand({}))).Aliases!.map((a) => [a.AliasName, a.TargetKeyId]),
    key: (await victim.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyState,
  });

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-accounts-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [INTRUDER] }));
    kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    victim = kms.client();
    intruder = kms.client({ accessKeyId: INTRUDER.accessKeyId, secretAccessKey: INTRUDER.secretAccessKey });
    const key = (await victim.send(new CreateKeyCommand({ Description: 'payroll' }))).KeyMetadata!;
    [keyId, keyArn] = [key.KeyId!, key.Arn!];
    await victim.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: keyId }));
  });
  afterAll(() => kms.close());

  it('KMS: the victim key and alias do not exist for the intruder, by id, ARN or name', async () => {
    const before = await victimState();
    const notFound = `Key '${keyArn}' does not exist`;
    for (const call of [
      new CreateAliasCommand({ AliasName: 'alias/stolen', TargetKeyId: keyArn }),
      new UpdateAliasCommand({ AliasName: aliasName, TargetKeyId: keyArn }),
      new DescribeKeyCommand({ KeyId: keyArn }),
      new DescribeKeyCommand({ KeyId: aliasArn }),
      new EnableKeyCommand({ KeyId: keyArn }),
      new DisableKeyCommand({ KeyId: keyArn }),
      new ScheduleKeyDeletionCommand({ KeyId: keyArn, PendingWindowInDays: 7 }),
      new CancelKeyDeletionCommand({ KeyId: keyArn }),
      new ListAliasesCommand({ KeyId: keyArn }),
    ]) {
      const error = await failure(intruder.send(call as never));
      expect([error.name, call.constructor.name]).toEqual(['NotFoundException', call.constructor.name]);
    }
    // By bare id and by name, the intruder's own account is what is looked in.
    expect((await failure(intruder.send(new DescribeKeyCommand({ KeyId: keyId })))).message).toBe(
      `Key 'arn:aws:kms:${REGION}:${INTRUDER.accountId}:key/${keyId}' does not exist`,
    );
    expect((await failure(intruder.send(new DeleteAliasCommand({ AliasName: aliasName })))).name).toBe(
      'NotFoundException',
    );
    expect(
      (await failure(intruder.send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: keyArn })))).message,
    ).toBe(notFound);
    const listed = await intruder.send(new ListAliasesCommand({}));
    expect(listed.Aliases!.map((a) => a.AliasName)).not.toContain(aliasName);
    const keys = await intruder.send(new ListKeysCommand({}));
    expect(keys.Keys!.map((k) => k.KeyId)).not.toContain(keyId);
    expect(await victimState()).toEqual(before);
  });

  it('REST and GraphQL: the intruder sees its own account only', async () => {
    const as = { credentials: INTRUDER };
    const history = await queryApi(kms.url, `/api/regions/${REGION}/alias/history?name=${aliasName}`, as);
    expect(history.body.versions).toEqual([]);
    const keyAliases = await queryApi(kms.url, `/api/regions/${REGION}/keys/${keyId}/history`, as);
    expect(keyAliases.body.versions).toEqual([]);
    const all = await queryApi(kms.url, `/api/regions/${REGION}/aliases`, as);
    expect(all.body.aliases.map((a: { aliasName: string }) => a.aliasName)).not.toContain(aliasName);
    // The intruder's own calls above are in its own trail; nothing of the victim's account is.
    const ownOnly = (records: { recipientAccountId: string; userIdentity: { accountId: string } }[]) => {
      for (const record of records) {
        expect(record.recipientAccountId).toBe(INTRUDER.accountId);
        expect(record.userIdentity.accountId).toBe(INTRUDER.accountId);
      }
    };
    const audit = await queryApi(kms.url, `/api/regions/${REGION}/audit-events?alias=${aliasName}`, as);
    ownOnly(audit.body.events.map((e: { cloudTrailEvent: never }) => e.cloudTrailEvent));
    const byKey = await queryApi(kms.url, `/api/regions/${REGION}/audit-events?keyId=${keyId}`, as);
    ownOnly(byKey.body.events.map((e: { cloudTrailEvent: never }) => e.cloudTrailEvent));
    // Once the projection has the intruder's own failed calls, the victim's are still not among them.
    let everything = { body: { events: [] as { cloudTrailEvent: never }[] } };
    for (let i = 0; i < 400 && everything.body.events.length < 10; i++) {
      everything = await queryApi(kms.url, `/api/regions/${REGION}/audit-events?limit=1000`, as);
      await pause(25);
    }
    expect(everything.body.events.length).toBeGreaterThanOrEqual(10);
    ownOnly(everything.body.events.map((e) => e.cloudTrailEvent));
    const { body } = await graphql(
      kms.url,
      `{ history(region: "${REGION}", aliasName: "${aliasName}") { versions { version } }
         auditEvents(region: "${REGION}", alias: "${aliasName}") { nodes { cloudTrailEvent } } }`,
      {},
      as,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.history.versions).toEqual([]);
    ownOnly(body.data.auditEvents.nodes.map((n: { cloudTrailEvent: string }) => JSON.parse(n.cloudTrailEvent)));
  });

  it('CloudTrail LookupEvents: the victim account records are not the intruder’s', async () => {
    const trail = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      new CloudTrailClient({ region: REGION, endpoint: kms.url, maxAttempts: 1, credentials });
    const lookup = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      trail(credentials).send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: aliasName }] }),
      );
    // The victim sees its own records once the projection has them; the intruder, then, none of them.
    let mine: string[] = [];
    for (let i = 0; i < 400 && mine.length === 0; i++) {
      mine = (await lookup(TEST_CREDENTIALS)).Events!.map((e) => e.EventId!);
      if (mine.length === 0) await pause(25);
    }
    expect(mine.length).toBeGreaterThan(0);
    for (const value of [aliasName, keyArn, aliasArn, keyId]) {
      const seen = await trail(INTRUDER).send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: value }] }),
      );
      for (const event of seen.Events!) {
        expect(mine).not.toContain(event.EventId);
        expect(JSON.parse(event.CloudTrailEvent!).recipientAccountId).toBe(INTRUDER.accountId);
      }
    }
  });
});
