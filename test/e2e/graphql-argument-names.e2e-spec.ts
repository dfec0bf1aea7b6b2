import { EncryptCommand } from '@aws-sdk/client-kms';
import { pause, writeAliasTimeline } from '../support/alias-timeline';
import { graphql } from '../support/graphql-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';

const REGION = 'us-west-2';

/** Every argument name the convention allows (src/graphql/argument-conventions.ts), search filters included. */
const CONVENTION = new Set([
  ...['region', 'aliasName', 'keyId', 'at', 'from', 'to', 'first', 'after'],
  ...['eventName', 'eventNames', 'username', 'accessKeyId', 'sourceIPAddress', 'errorCode', 'readOnly', 'oldestFirst'],
]);

interface IntrospectedArg {
  name: string;
  isDeprecated: boolean;
  deprecationReason: string | null;
}
interface IntrospectedField {
  name: string;
  isDeprecated: boolean;
  args: IntrospectedArg[];
}

/** Issue 17 point 4: one name per kind of argument on every query; the old names deprecated, still working. */
describe('GraphQL argument names: one convention, the old names deprecated for a release', () => {
  let kms: KmsTestApp;
  let keys: string[];
  let moments: Date[];
  const q = (query: string, variables: Record<string, unknown> = {}) => graphql(kms.url, query, variables);
  const data = async (query: string, variables: Record<string, unknown> = {}) => {
    const { status, body } = await q(query, variables);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    return body.data;
  };

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    const client = kms.client();
    ({ keys, moments } = await writeAliasTimeline(client));
    await client.send(new EncryptCommand({ KeyId: 'alias/ops', Plaintext: Buffer.from('x') }));
    // Both models are asynchronous: wait for the deletion (temporal) and the Encrypt (audit).
    for (let i = 0; i < 1000; i++) {
      const { body } = await q(`{ alias(region: "${REGION}", aliasName: "alias/finance") { alias { version } }
        auditEvents(region: "${REGION}", eventName: "Encrypt") { nodes { eventId } } }`);
      if (body.data?.alias.alias === null && body.data.auditEvents.nodes.length === 1) break;
      await pause();
    }
  });
  afterAll(() => kms.close());

  it('names every argument by the convention, and deprecates only the old names', async () => {
    const { __schema } = await data(`{ __schema { types { name kind
      fields(includeDeprecated: true) { name isDeprecated args(includeDeprecated: true) { name isDeprecated deprecationReason } } } } }`);
    const deprecated: string[] = [];
    const offending: string[] = [];
    for (const type of __schema.types.filter((t: any) => t.kind === 'OBJECT' && !t.name.startsWith('__')))
      for (const field of type.fields as IntrospectedField[])
        for (const arg of field.args) {
          const where = `${type.name}.${field.name}(${arg.name})`;
          if (arg.isDeprecated) deprecated.push(`${where}: ${arg.deprecationReason}`);
          else if (!CONVENTION.has(arg.name)) offending.push(where);
        }
    expect(offending).toEqual([]);
    expect(deprecated.sort()).toEqual([
      'Query.alias(name): Use `aliasName`, the name every query gives this argument. Removed in the next release.',
      'Query.auditEvents(alias): Use `aliasName`, the name every query gives this argument. Removed in the next release.',
      'Query.auditEvents(endTime): Use `to`, the name every query gives this argument. Removed in the next release.',
      'Query.auditEvents(startTime): Use `from`, the name every query gives this argument. Removed in the next release.',
    ]);
    // The schema says the convention where a client looks first (GraphiQL's docs start there).
    const { __schema: root } = await data('{ __schema { description } }');
    expect(root.description).toContain('an alias is named by `aliasName`, a key by `keyId`; one point in time is `at`');
    // A client that does not ask for deprecated arguments does not see them.
    const { __type } = await data(`{ __type(name: "Query") { fields { name args { name } } } }`);
    const argsOf = (name: string) =>
      __type.fields.find((f: any) => f.name === name).args.map((a: { name: string }) => a.name);
    expect(argsOf('alias').sort()).toEqual(['aliasName', 'at', 'region']);
    expect(argsOf('auditEvents')).not.toEqual(expect.arrayContaining(['alias']));
    expect(argsOf('auditEvents')).toEqual(expect.arrayContaining(['aliasName', 'from', 'to']));
  });

  it('answers the same under the new and the old names', async () => {
    const aliasAt = (args: string) =>
      data(
        `{ alias(region: "${REGION}", ${args}, at: "${moments[2]!.toISOString()}") { aliasName alias { targetKeyId } } }`,
      );
    const expected = { alias: { aliasName: 'alias/finance', alias: { targetKeyId: keys[1] } } };
    expect(await aliasAt('aliasName: "alias/finance"')).toEqual(expected);
    expect(await aliasAt('name: "alias/finance"')).toEqual(expected);
    expect(await aliasAt('aliasName: "alias/finance", name: "alias/finance"')).toEqual(expected);
    // Variables of the old non-null type still fit.
    const old = await data(`query ($n: String!) { alias(region: "${REGION}", name: $n) { aliasName } }`, {
      n: 'alias/ops',
    });
    expect(old.alias.aliasName).toBe('alias/ops');

    const search = (args: string) =>
      data(`{ auditEvents(region: "${REGION}", ${args}) { nodes { eventName } } }`).then((d) =>
        d.auditEvents.nodes.map((n: { eventName: string }) => n.eventName),
      );
    const [start, end] = [moments[0]!.toISOString(), new Date(Date.now() + 60_000).toISOString()];
    const byNew = await search(`aliasName: "alias/ops", from: "${start}", to: "${end}"`);
    expect(byNew).toEqual(expect.arrayContaining(['Encrypt', 'CreateAlias']));
    expect(await search(`alias: "alias/ops", startTime: "${start}", endTime: "${end}"`)).toEqual(byNew);
    expect(await search(`aliasName: "alias/ops", alias: "alias/ops", from: "${start}", startTime: "${start}"`)).toEqual(
      byNew,
    );
    // A span that ends before the calls finds none, under either name.
    expect(await search(`aliasName: "alias/ops", to: "${start}"`)).toEqual([]);
    expect(await search(`alias: "alias/ops", endTime: "${start}"`)).toEqual([]);
  });

  it('refuses an argument given under both names with different values, and a missing one', async () => {
    const error = async (query: string) => {
      const { status, body } = await q(query);
      expect(status).toBeLessThan(500);
      expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      return body.errors[0].message as string;
    };
    expect(
      await error(`{ alias(region: "${REGION}", aliasName: "alias/ops", name: "alias/finance") { position } }`),
    ).toBe(
      'aliasName and name are one argument (name is its deprecated name) and were given different values: give aliasName only.',
    );
    expect(await error(`{ alias(region: "${REGION}") { position } }`)).toBe('aliasName is required.');
    expect(
      await error(`{ auditEvents(region: "${REGION}", from: "${moments[0]!.toISOString()}",
        startTime: "${moments[1]!.toISOString()}") { position } }`),
    ).toMatch(/^from and startTime are one argument/);
    expect(
      await error(`{ auditEvents(region: "${REGION}", aliasName: "alias/a", alias: "alias/b") { position } }`),
    ).toMatch(/^aliasName and alias are one argument/);
    expect(
      await error(`{ auditEvents(region: "${REGION}", from: "${moments[1]!.toISOString()}",
        to: "${moments[0]!.toISOString()}") { position } }`),
    ).toBe('from must not be after to.');
  });
});
