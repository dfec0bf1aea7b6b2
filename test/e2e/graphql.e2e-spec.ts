import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type KMSClient } from '@aws-sdk/client-kms';
import { pause, writeAliasTimeline } from '../support/alias-timeline';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';
import { graphql } from '../support/graphql-client';

const OTHER = {
  accessKeyId: 'AKIAOTHERACCOUNT0001',
  secretAccessKey: 'other-secret-access-key-00000000000000',
  accountId: '444455556666',
  arn: 'arn:aws:iam::444455556666:user/Auditor',
  userName: 'Auditor',
};
const REGION = 'us-west-2';
const PAGE_ALIASES = Array.from({ length: 12 }, (_, i) => `alias/page-${String(i).padStart(2, '0')}`);
const POSITION = /^\d{20}:\d{19}$/;
const VERSION = 'aliasName version targetKeyId targetKeyArn aliasArn validFrom validTo endedReason';
const CAUSE = 'eventType eventName eventPosition userIdentity { accountId userName arn }';

describe('GraphQL at /graphql: the query API over mercurius', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  let keys: string[];
  let moments: Date[];
  const q = (query: string, variables: Record<string, unknown> = {}) => graphql(kms.url, query, variables);

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-principals-'));
    const file = path.join(dir, 'principals.json');
    // The test credentials come as the bootstrap principal; the file adds another account's.
    fs.writeFileSync(file, JSON.stringify({ principals: [OTHER] }));
    kms = await startKmsApp({ ALIASTRAIL_PRINCIPALS_FILE: file, ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    client = kms.client();
    ({ keys, moments } = await writeAliasTimeline(client, PAGE_ALIASES));
    // The temporal projection is asynchronous: wait until it has applied the deletion, the last write.
    for (let i = 0; i < 1000; i++) {
      const { body } = await q(
        `{ history(region: "${REGION}", aliasName: "alias/finance") { versions { endedReason } } }`,
      );
      if (body.data?.history.versions[1]?.endedReason === 'deleted') break;
      await pause();
    }
  });
  afterAll(() => kms.close());

  it('answers which key an alias pointed to at each moment, with the position it reflects', async () => {
    const at = async (i: number) =>
      (
        await q(
          `query ($at: DateTime) { alias(region: "${REGION}", name: "alias/finance", at: $at) {
          aliasName at position alias { ${VERSION} startedBy { ${CAUSE} } } } }`,
          { at: moments[i]!.toISOString() },
        )
      ).body.data.alias;
    const before = await at(0);
    expect(before).toMatchObject({ aliasName: 'alias/finance', at: moments[0]!.toISOString(), alias: null });
    expect(before.position).toMatch(POSITION);
    const first = await at(1);
    expect(first.alias).toMatchObject({
      version: 1,
      targetKeyId: keys[0],
      targetKeyArn: `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keys[0]}`,
      aliasArn: `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:alias/finance`,
      endedReason: 'retargeted',
      startedBy: { eventType: 'AliasCreated', eventName: 'CreateAlias', userIdentity: { userName: 'admin' } },
    });
    expect((await at(2)).alias).toMatchObject({ version: 2, targetKeyId: keys[1], validTo: expect.any(String) });
    expect((await at(3)).alias).toBeNull();
    // Without `at`: now.
    const now = await q(`{ alias(region: "${REGION}", name: "alias/ops") { alias { targetKeyId validTo } } }`);
    expect(now.body.data.alias.alias).toEqual({ targetKeyId: keys[2], validTo: null });
  });

  it('pages through every alias of the Region at T (aliasesAt and aliases), AWS managed ones included', async () => {
    for (const field of ['aliasesAt', 'aliases']) {
      const names: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const { status, body } = await q(
          `query ($at: DateTime!, $after: String) { page: ${field}(region: "${REGION}", at: $at, first: 5, after: $after) {
             at position edges { cursor node { aliasName } } nodes { aliasName }
             pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`,
          { at: moments[2]!.toISOString(), after },
        );
        expect(status).toBe(200);
        const page = body.data.page;
        expect(page.position).toMatch(POSITION);
        expect(page.edges.length).toBeLessThanOrEqual(5);
        expect(page.nodes).toEqual(page.edges.map((e: any) => e.node));
        expect(page.pageInfo.hasPreviousPage).toBe(false);
        expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1]?.cursor ?? null);
        names.push(...page.nodes.map((n: { aliasName: string }) => n.aliasName));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBeGreaterThan(2);
      expect(names).toEqual([...names].sort());
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual(expect.arrayContaining(['alias/finance', 'alias/ops', 'alias/aws/s3', ...PAGE_ALIASES]));
      const whole = await q(`{ aliasesAt(region: "${REGION}", at: "${moments[2]!.toISOString()}", first: 1000) {
        nodes { aliasName } pageInfo { hasNextPage } } }`);
      expect(whole.body.data.aliasesAt.nodes.map((n: any) => n.aliasName)).toEqual(names);
      expect(whole.body.data.aliasesAt.pageInfo.hasNextPage).toBe(false);
    }
    // `aliases` without `at` is now: finance is gone.
    const now = await q(`{ aliases(region: "${REGION}", first: 1000) { nodes { aliasName } } }`);
    expect(now.body.data.aliases.nodes.map((n: any) => n.aliasName)).not.toContain('alias/finance');
  });

  it("shows an alias's history: who changed it, when, from which key to which", async () => {
    const { body } = await q(`{ history(region: "${REGION}", aliasName: "alias/finance") {
      aliasName position versions { version targetKeyId endedReason endedBy { eventName } }
      changes { version at eventType eventName fromKeyId toKeyId by { ${CAUSE} } } } }`);
    const history = body.data.history;
    expect(history.position).toMatch(POSITION);
    expect(history.versions).toEqual([
      { version: 1, targetKeyId: keys[0], endedReason: 'retargeted', endedBy: { eventName: 'UpdateAlias' } },
      { version: 2, targetKeyId: keys[1], endedReason: 'deleted', endedBy: { eventName: 'DeleteAlias' } },
    ]);
    expect(history.changes.map((c: any) => [c.eventName, c.fromKeyId, c.toKeyId])).toEqual([
      ['CreateAlias', null, keys[0]],
      ['UpdateAlias', keys[0], keys[1]],
      ['DeleteAlias', keys[1], null],
    ]);
    expect(history.changes[1].by.userIdentity).toEqual({
      accountId: TEST_CREDENTIALS.accountId,
      userName: 'admin',
      arn: `arn:aws:iam::${TEST_CREDENTIALS.accountId}:user/admin`,
    });
    const times = history.changes.map((c: any) => Date.parse(c.at));
    expect(times[0]).toBeLessThan(moments[1]!.getTime());
    expect(times[2]).toBeGreaterThan(moments[2]!.getTime());
  });

  it('answers a key: its metadata now, its aliases at T, its history', async () => {
    const { body } = await q(
      `query ($key: String!, $at: DateTime) { key(region: "${REGION}", keyId: $key) {
         keyId arn metadata { keyId keyState keyManager keySpec keyUsage creationDate deletionDate }
         aliases(at: $at) { at position aliases { aliasName version } }
         history { position versions { aliasName targetKeyId endedReason } } } }`,
      { key: keys[1], at: moments[2]!.toISOString() },
    );
    const key = body.data.key;
    expect(key).toMatchObject({
      keyId: keys[1],
      arn: `arn:aws:kms:${REGION}:${TEST_CREDENTIALS.accountId}:key/${keys[1]}`,
      metadata: { keyId: keys[1], keyState: 'Enabled', keyManager: 'CUSTOMER', deletionDate: null },
      aliases: { aliases: [{ aliasName: 'alias/finance', version: 2 }] },
      history: { versions: [{ aliasName: 'alias/finance', targetKeyId: keys[1], endedReason: 'deleted' }] },
    });
    expect(key.aliases.position).toMatch(POSITION);
    expect(key.history.position).toMatch(POSITION);
    const missing = await q(`{ key(region: "${REGION}", keyId: "00000000-0000-0000-0000-000000000000") {
      metadata { keyId } history { versions { aliasName } } } }`);
    expect(missing.body.data.key).toEqual({ metadata: null, history: { versions: [] } });
  });

  it('says what changed between two times', async () => {
    const { body } = await q(
      `query ($from: DateTime!, $to: DateTime) { diff(region: "${REGION}", from: $from, to: $to) {
      from to position changes { aliasName before after } } }`,
      {
        from: moments[1]!.toISOString(),
        to: moments[3]!.toISOString(),
      },
    );
    expect(body.data.diff.position).toMatch(POSITION);
    expect(body.data.diff.changes).toEqual([
      { aliasName: 'alias/finance', before: keys[0], after: null },
      { aliasName: 'alias/ops', before: null, after: keys[2] },
      ...PAGE_ALIASES.map((aliasName) => ({ aliasName, before: null, after: keys[2] })),
    ]);
  });

  it("shows a caller only its own account's data", async () => {
    const other = (query: string) => graphql(kms.url, query, {}, { credentials: OTHER });
    const { status, body } = await other(`{
      history(region: "${REGION}", aliasName: "alias/finance") { versions { version } }
      aliases(region: "${REGION}", first: 1000) { nodes { aliasName } }
      alias(region: "${REGION}", name: "alias/ops") { alias { version } }
      key(region: "${REGION}", keyId: "${keys[2]}") { arn metadata { keyId } history { versions { aliasName } } } }`);
    expect(status).toBe(200);
    expect(body.data).toEqual({
      history: { versions: [] },
      aliases: { nodes: [] },
      alias: { alias: null },
      key: {
        arn: `arn:aws:kms:${REGION}:${OTHER.accountId}:key/${keys[2]}`,
        metadata: null,
        history: { versions: [] },
      },
    });
    const diff = await other(
      `{ diff(region: "${REGION}", from: "${moments[0]!.toISOString()}") { changes { aliasName } } }`,
    );
    expect(diff.body.data).toEqual({ diff: { changes: [] } });
  });
});
