import { EncryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { pause, writeAliasTimeline } from '../support/alias-timeline';
import { graphql } from '../support/graphql-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const REGION = 'us-west-2';
const MORE = ['alias/more-a', 'alias/more-b', 'alias/more-c', 'alias/more-d'];
const PAGE = 'nodes { ID } edges { cursor node { ID } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';

type Page = { nodes: unknown[]; edges: { cursor: string; node: unknown }[]; pageInfo: any };

/** Issue 17 point 4: every list that can grow is a connection; the former whole lists still answer, deprecated. */
describe('GraphQL connections for every list', () => {
  let kms: KmsTestApp;
  let keys: string[];
  let moments: Date[];
  const q = (query: string, variables: Record<string, unknown> = {}) => graphql(kms.url, query, variables);

  /**
   * Every page of a connection, `first` at a time, checked for Relay's shape, then its nodes: `query`
   * has `$after` and selects the connection with PAGE, where `ID` stands for the node's fields.
   */
  const pageThrough = async (query: string, id: string, connectionOf: (data: any) => Page, first = 2) => {
    const nodes: unknown[] = [];
    let after: string | null = null;
    for (let pages = 1; ; pages++) {
      const { status, body } = await q(query.replace('PAGE', PAGE.replaceAll('ID', id)), { after, first });
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      const page = connectionOf(body.data);
      expect(page.nodes).toEqual(page.edges.map((e) => e.node));
      expect(page.nodes.length).toBeLessThanOrEqual(first);
      expect(page.pageInfo).toMatchObject({
        hasPreviousPage: false,
        startCursor: page.edges[0]?.cursor ?? null,
        endCursor: page.edges[page.edges.length - 1]?.cursor ?? null,
      });
      nodes.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return { nodes, pages };
      after = page.pageInfo.endCursor;
    }
  };

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    const client = kms.client();
    ({ keys, moments } = await writeAliasTimeline(client, MORE));
    await client.send(new EncryptCommand({ KeyId: 'alias/ops', Plaintext: Buffer.from('x') }));
    await client.send(new GenerateDataKeyCommand({ KeyId: 'alias/ops', KeySpec: 'AES_256' }));
    for (let i = 0; i < 1000; i++) {
      const { body } = await q(`{ alias(region: "${REGION}", aliasName: "alias/finance") { alias { version } }
        history(region: "${REGION}", aliasName: "alias/ops") { usage { nodes { calls { calls } } } } }`);
      const calls = body.data?.history.usage.nodes[0]?.calls.length;
      if (body.data?.alias.alias === null && calls === 2) break;
      await pause();
    }
  });
  afterAll(() => kms.close());

  it("pages a key's aliases at T and its history; the whole lists still answer", async () => {
    const at = moments[2]!.toISOString();
    const aliases = `query ($after: String, $first: Int) { key(region: "${REGION}", keyId: "${keys[2]}") {
      aliases(at: "${at}", first: $first, after: $after) { PAGE } } }`;
    const byPage = await pageThrough(aliases, 'aliasName', (d) => d.key.aliases);
    expect(byPage.pages).toBe(3);
    const whole =
      await q(`{ key(region: "${REGION}", keyId: "${keys[2]}") { aliases(at: "${at}") { aliases { aliasName } }
      history { versions { aliasName version } } } }`);
    expect(byPage.nodes).toEqual(whole.body.data.key.aliases.aliases);
    expect(whole.body.data.key.aliases.aliases.map((a: any) => a.aliasName)).toEqual([...MORE, 'alias/ops']);

    const history = `query ($after: String, $first: Int) { key(region: "${REGION}", keyId: "${keys[2]}") {
      history(first: $first, after: $after) { PAGE } } }`;
    const versions = await pageThrough(history, 'aliasName version', (d) => d.key.history, 1);
    expect(versions.nodes).toEqual(whole.body.data.key.history.versions);
    expect(versions.pages).toBe(5);
  });

  it('pages a diff, and the changes of an alias history as its versions', async () => {
    const [from, to] = [moments[1]!.toISOString(), moments[3]!.toISOString()];
    const diff = `query ($after: String, $first: Int) { diff(region: "${REGION}", from: "${from}", to: "${to}",
      first: $first, after: $after) { PAGE } }`;
    const changes = await pageThrough(diff, 'aliasName before after', (d) => d.diff);
    const whole =
      await q(`{ diff(region: "${REGION}", from: "${from}", to: "${to}") { changes { aliasName before after } }
      history(region: "${REGION}", aliasName: "alias/finance") { versions { version targetKeyId }
        changes { version eventName fromKeyId toKeyId } } }`);
    expect(changes.nodes).toEqual(whole.body.data.diff.changes);
    expect(changes.nodes).toHaveLength(2 + MORE.length);

    const versions = `query ($after: String, $first: Int) { history(region: "${REGION}", aliasName: "alias/finance",
      first: $first, after: $after) { PAGE } }`;
    const byVersion = await pageThrough(versions, 'version targetKeyId', (d) => d.history, 1);
    expect(byVersion.nodes).toEqual(whole.body.data.history.versions);
    expect(byVersion.pages).toBe(2);

    const history = `query ($after: String, $first: Int) { history(region: "${REGION}", aliasName: "alias/finance") {
      changeConnection(first: $first, after: $after) { PAGE } } }`;
    const byChange = await pageThrough(
      history,
      'version eventName fromKeyId toKeyId',
      (d) => d.history.changeConnection,
    );
    expect(byChange.nodes).toEqual(whole.body.data.history.changes);
    expect(byChange.nodes.map((c: any) => c.eventName)).toEqual(['CreateAlias', 'UpdateAlias', 'DeleteAlias']);
  });

  it("pages an alias's usage per version, and each version's calls", async () => {
    const usage = `query ($after: String, $first: Int) { history(region: "${REGION}", aliasName: "alias/ops") {
      usage(first: $first, after: $after) { PAGE } } }`;
    const byVersion = await pageThrough(usage, 'version targetKeyId', (d) => d.history.usage, 1);
    expect(byVersion.nodes).toEqual([{ version: 1, targetKeyId: keys[2] }]);

    const calls = `query ($after: String, $first: Int) { history(region: "${REGION}", aliasName: "alias/ops") {
      usage { nodes { callConnection(first: $first, after: $after) { PAGE } } } } }`;
    const lines = await pageThrough(calls, 'eventName calls failed', (d) => d.history.usage.nodes[0].callConnection, 1);
    const whole = await q(`{ history(region: "${REGION}", aliasName: "alias/ops") {
      usage { versions { calls { eventName calls failed } } } } }`);
    expect(lines.nodes).toEqual(whole.body.data.history.usage.versions[0].calls);
    expect(lines.nodes).toEqual(
      expect.arrayContaining([
        { eventName: 'Encrypt', calls: 1, failed: 0 },
        { eventName: 'GenerateDataKey', calls: 1, failed: 0 },
      ]),
    );
  });

  it('refuses a cursor brought to another list or other arguments', async () => {
    const keyHistory = (keyId: string) => `query ($after: String) { key(region: "${REGION}", keyId: "${keyId}") {
      history(first: 1, after: $after) { pageInfo { endCursor } } } }`;
    const cursor = (await q(keyHistory(keys[2]!))).body.data.key.history.pageInfo.endCursor;
    expect((await q(keyHistory(keys[2]!), { after: cursor })).status).toBe(200);
    const diff = `query ($after: String) { diff(region: "${REGION}", from: "${moments[0]!.toISOString()}", after: $after) {
      nodes { aliasName } } }`;
    for (const [query, after] of [
      [keyHistory(keys[1]!), cursor],
      [diff, cursor],
      [keyHistory(keys[2]!), 'bm9wZQ'],
    ]) {
      const { status, body } = await q(query!, { after });
      expect(status).toBe(400);
      expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'InvalidCursor' });
    }
  });

  it('leaves no growing list outside a connection but the deprecated ones', async () => {
    const { body } = await q(`{ __schema { types { name kind fields(includeDeprecated: true) { name isDeprecated
      type { kind ofType { kind ofType { kind } } } } } } }`);
    const isList = (type: any): boolean => type?.kind === 'LIST' || (type?.kind === 'NON_NULL' && isList(type.ofType));
    const lists = { current: [] as string[], deprecated: [] as string[] };
    for (const type of body.data.__schema.types.filter((t: any) => t.kind === 'OBJECT' && !t.name.startsWith('__')))
      for (const field of type.fields.filter((f: any) => isList(f.type) && !['edges', 'nodes'].includes(f.name)))
        lists[field.isDeprecated ? 'deprecated' : 'current'].push(`${type.name}.${field.name}`);
    // A call's resources are the one or two CloudTrail lists: they do not grow.
    expect(lists.current).toEqual(['AuditEvent.resources']);
    expect(lists.deprecated.sort()).toEqual([
      'AliasDiff.changes',
      'AliasHistory.changes',
      'AliasHistory.versions',
      'AliasUsage.versions',
      'AliasVersionUsage.calls',
      'KeyAliases.aliases',
      'KeyHistory.versions',
    ]);
  });
});
