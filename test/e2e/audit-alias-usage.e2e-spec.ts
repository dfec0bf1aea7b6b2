import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type KMSClient,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { sleep } from '../support/events';
import { graphql } from '../support/graphql-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { queryApi } from '../support/query-client';
import { TEST_CREDENTIALS } from '../support/test-app';

const REGION = 'us-west-2';
const ACCOUNT = TEST_CREDENTIALS.accountId;
const principal = (name: string) => ({
  accessKeyId: `AKIA${name.toUpperCase().padEnd(16, '0')}`,
  secretAccessKey: `${name}-secret-access-key-000000000000000000`,
  accountId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  userName: name,
});
const ALICE = principal('Alice');
const BOB = principal('Bob');
/** An auditor of alias histories only: the usage of an alias is the audit trail's. */
const CAROL = {
  ...principal('Carol'),
  policies: [
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'aliastrail:ReadHistory', Resource: '*' }] },
  ],
};
const keyArn = (keyId: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${keyId}`;
const aliasArn = (name: string) => `arn:aws:kms:${REGION}:${ACCOUNT}:${name}`;
const DATA = Buffer.from('payroll 2026-03');

type Json = Record<string, any>;
/** A record as the compliance answer reads it: operation, what the caller named, the key that served it. */
const via = (e: Json) => [
  e.eventName,
  e.cloudTrailEvent.requestParameters?.keyId ?? null,
  e.resources.map((r: Json) => r.ARN),
];

/**
 * Issue 14, requirement 4: "through which aliases and keys did this principal encrypt or decrypt
 * between T1 and T2", over REST and GraphQL, and each alias version's usage per operation and caller.
 * Two principals, two aliases, an UpdateAlias in between; calls through alias names, alias ARNs and
 * key ids, made with the AWS SDK.
 */
describe('the compliance question over crypto calls through aliases', () => {
  let kms: KmsTestApp;
  let admin: KMSClient;
  let keys: [string, string, string];
  let t1: Date;
  let t2: Date;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-principals-'));
    const file = path.join(dir, 'principals.json');
    fs.writeFileSync(file, JSON.stringify({ principals: [ALICE, BOB, CAROL] }));
    kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    admin = kms.client();
    const alice = kms.client(ALICE);
    const bob = kms.client(BOB);
    keys = (await Promise.all([0, 1, 2].map(() => admin.send(new CreateKeyCommand({}))))).map(
      (k) => k.KeyMetadata!.KeyId!,
    ) as [string, string, string];
    const [k1, k2, k3] = keys;
    await admin.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: k1 }));
    await admin.send(new CreateAliasCommand({ AliasName: 'alias/batch', TargetKeyId: k2 }));
    await sleep(5);
    t1 = new Date();
    const first = await alice.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: DATA }));
    const dataKey = await bob.send(new GenerateDataKeyCommand({ KeyId: aliasArn('alias/batch'), KeySpec: 'AES_256' }));
    await alice.send(new EncryptCommand({ KeyId: k3, Plaintext: DATA }));
    await alice.send(new DecryptCommand({ CiphertextBlob: first.CiphertextBlob }));
    await admin.send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: k2 }));
    const second = await alice.send(new EncryptCommand({ KeyId: aliasArn('alias/app'), Plaintext: DATA }));
    await bob.send(new DecryptCommand({ KeyId: 'alias/app', CiphertextBlob: second.CiphertextBlob }));
    await alice.send(new DecryptCommand({ KeyId: 'alias/batch', CiphertextBlob: dataKey.CiphertextBlob }));
    t2 = new Date();
    await sleep(5);
    // After T2: outside the question.
    await alice.send(new EncryptCommand({ KeyId: 'alias/app', Plaintext: DATA }));
    // The recorder writes crypto records a few milliseconds after the calls; the projection follows.
    for (let i = 0; i < 500; i++) {
      const { body } = await queryApi(kms.url, `/api/regions/${REGION}/audit-events?readOnly=true&limit=1000`);
      if (body.events?.length === 8) break;
      await sleep(20);
    }
    for (let i = 0; i < 500; i++) {
      const { body } = await queryApi(kms.url, `/api/regions/${REGION}/alias/history?name=alias/app`);
      if (body.versions?.length === 2) break;
      await sleep(20);
    }
  });
  afterAll(() => kms.close());

  const window = () => `startTime=${t1.toISOString()}&endTime=${t2.toISOString()}`;
  const rest = async (filters: string) => {
    const { status, body } = await queryApi(kms.url, `/api/regions/${REGION}/audit-events?${filters}&${window()}`);
    expect(status).toBe(200);
    return body.events.map(via);
  };

  it('answers over REST: each call of the principal, the alias or key it named, and the key that served it', async () => {
    const [k1, k2, k3] = keys;
    const cryptoOf = (who: string) => `username=${who}&eventName=Encrypt&eventName=Decrypt`;
    // Newest first.
    expect(await rest(cryptoOf('Alice'))).toEqual([
      ['Decrypt', 'alias/batch', [keyArn(k2)]],
      ['Encrypt', aliasArn('alias/app'), [keyArn(k2)]],
      ['Decrypt', null, [keyArn(k1)]],
      ['Encrypt', k3, [keyArn(k3)]],
      ['Encrypt', 'alias/app', [keyArn(k1)]],
    ]);
    // By alias, by name or ARN: the calls that came through it, before and after the UpdateAlias.
    const throughApp = [
      ['Encrypt', aliasArn('alias/app'), [keyArn(k2)]],
      ['Encrypt', 'alias/app', [keyArn(k1)]],
    ];
    expect(await rest(`${cryptoOf('Alice')}&alias=alias/app`)).toEqual(throughApp);
    expect(await rest(`${cryptoOf('Alice')}&alias=${aliasArn('alias/app')}`)).toEqual(throughApp);
    expect(await rest(`${cryptoOf('Alice')}&alias=alias/batch`)).toEqual([['Decrypt', 'alias/batch', [keyArn(k2)]]]);
    expect(await rest(`${cryptoOf('Bob')}&alias=alias/app`)).toEqual([['Decrypt', 'alias/app', [keyArn(k2)]]]);
    expect(await rest(`${cryptoOf('Bob')}&alias=alias/batch`)).toEqual([]);
    expect(await rest(`username=Bob&alias=alias/batch`)).toEqual([
      ['GenerateDataKey', aliasArn('alias/batch'), [keyArn(k2)]],
    ]);
    // The alias's own management calls list it among their resources: found too.
    expect((await rest('alias=alias/app&eventName=UpdateAlias')).map((e: unknown[]) => e[0])).toEqual(['UpdateAlias']);
  });

  it('answers the same over GraphQL', async () => {
    const [k1, k2] = keys;
    const { body } = await graphql(
      kms.url,
      `query ($alias: String, $user: String, $from: DateTime, $to: DateTime) {
        auditEvents(region: "${REGION}", alias: $alias, username: $user, eventNames: ["Encrypt", "Decrypt"],
                    startTime: $from, endTime: $to) {
          nodes { eventName cloudTrailEvent resources { arn } } } }`,
      { alias: 'alias/app', user: 'Alice', from: t1.toISOString(), to: t2.toISOString() },
    );
    const nodes = body.data.auditEvents.nodes.map((n: Json) => ({
      ...n,
      cloudTrailEvent: JSON.parse(n.cloudTrailEvent),
    }));
    expect(
      nodes.map((n: Json) => [
        n.eventName,
        n.cloudTrailEvent.requestParameters.keyId,
        n.resources.map((r: Json) => r.arn),
      ]),
    ).toEqual([
      ['Encrypt', aliasArn('alias/app'), [keyArn(k2)]],
      ['Encrypt', 'alias/app', [keyArn(k1)]],
    ]);
  });

  it('shows per alias version the calls through it, per operation and caller (REST and GraphQL)', async () => {
    const { status, body } = await queryApi(kms.url, `/api/regions/${REGION}/alias/history?name=alias/app&usage=true`);
    expect(status).toBe(200);
    expect(body.usagePosition).toMatch(/^\d{20}:\d{19}$/);
    const expected = [
      {
        version: 1,
        targetKeyId: keys[0],
        usage: [{ eventName: 'Encrypt', principalArn: ALICE.arn, calls: 1, failed: 0 }],
      },
      {
        version: 2,
        targetKeyId: keys[1],
        usage: [
          { eventName: 'Decrypt', principalArn: BOB.arn, calls: 1, failed: 0 },
          { eventName: 'Encrypt', principalArn: ALICE.arn, calls: 2, failed: 0 },
        ],
      },
    ];
    expect(
      body.versions.map((v: Json) => ({ version: v.version, targetKeyId: v.targetKeyId, usage: v.usage })),
    ).toEqual(expected);
    // Without usage=true the answer is as it was.
    const plain = await queryApi(kms.url, `/api/regions/${REGION}/alias/history?name=alias/app`);
    expect(plain.body.usagePosition).toBeUndefined();
    expect(plain.body.versions[0].usage).toBeUndefined();

    const graph = await graphql(
      kms.url,
      `{ history(region: "${REGION}", aliasName: "alias/app") {
          usage { position versions { version targetKeyId calls { eventName principalArn calls failed } } } } }`,
    );
    expect(graph.body.data.history.usage.versions).toEqual(expected.map(({ usage, ...v }) => ({ ...v, calls: usage })));
  });

  it('refuses usage to a caller that may read histories but not the audit trail', async () => {
    const carol = { credentials: CAROL };
    const history = `/api/regions/${REGION}/alias/history?name=alias/app`;
    expect((await queryApi(kms.url, history, carol)).status).toBe(200);
    expect((await queryApi(kms.url, `${history}&usage=true`, carol)).status).toBe(403);
    expect((await queryApi(kms.url, `${history}&usage=yes`)).status).toBe(400);
    const graph = await graphql(
      kms.url,
      `{ history(region: "${REGION}", aliasName: "alias/app") { aliasName usage { position } } }`,
      {},
      carol,
    );
    expect(graph.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });
});
