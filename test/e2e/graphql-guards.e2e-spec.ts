import * as http from 'node:http';
import { CreateAliasCommand, CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { createTestApp, TEST_CREDENTIALS } from '../support/test-app';
import { graphql, graphqlGet } from '../support/graphql-client';
import { GRAPHIQL_POLICY } from '../../src/graphql/graphiql-page.route';

const REGION = 'us-west-2';
const VERSION = 'aliasName version targetKeyId targetKeyArn aliasArn validFrom validTo endedReason';
const CAUSE = 'eventType eventName eventPosition userIdentity { accountId userName arn }';

const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

/** The status of a GET over node:http, which sends the path as given. */
const rawStatus = (url: string, path: string) =>
  new Promise<number>((resolve, reject) => {
    const { hostname, port } = new URL(url);
    http
      .get({ host: hostname, port, path }, (response) => resolve(response.resume().statusCode ?? 0))
      .on('error', reject);
  });

describe('GraphQL at /graphql: authentication, limits and bad input', () => {
  let kms: KmsTestApp;
  let client: KMSClient;
  const q = (query: string, variables: Record<string, unknown> = {}) => graphql(kms.url, query, variables);

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    client = kms.client();
    const keyId = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (let i = 0; i < 6; i++)
      await client.send(new CreateAliasCommand({ AliasName: `alias/guard-${i}`, TargetKeyId: keyId }));
    // The temporal projection is asynchronous: wait until it has applied the last alias.
    for (let i = 0; i < 300; i++) {
      const { body } = await q(`{ alias(region: "${REGION}", name: "alias/guard-5") { alias { version } } }`);
      if (body.data?.alias.alias) break;
      await pause();
    }
  });
  afterAll(() => kms.close());

  it('answers 401 to unsigned, wrongly signed and altered requests, and takes signed GETs', async () => {
    const query = `{ aliases(region: "${REGION}") { nodes { aliasName } } }`;
    const unsigned = await graphql(kms.url, query, {}, { sign: false });
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await graphql(
      kms.url,
      query,
      {},
      {
        credentials: { accessKeyId: TEST_CREDENTIALS.accessKeyId, secretAccessKey: 'wrong-secret' },
      },
    );
    expect(forged.status).toBe(401);
    expect(forged.body.errors[0].extensions.reason).toBe('InvalidSignatureException');
    // The signature covers the JSON body: another query under the same signature is refused.
    const altered = await graphql(kms.url, query, {}, { tamper: (body) => body.replace(REGION, 'eu-west-1') });
    expect(altered.status).toBe(401);
    expect((await graphqlGet(kms.url, query, { sign: false })).status).toBe(401);
    const get = await graphqlGet(kms.url, query);
    expect(get.status).toBe(200);
    expect(get.body.data.aliases.nodes.length).toBeGreaterThan(0);
  });

  it('refuses queries deeper or costlier than the limits, with a clear error', async () => {
    // Data queries are at most 6 deep; introspection's ofType chains go as deep as one asks.
    const ofType = (depth: number) => 'ofType { '.repeat(depth) + 'name' + ' }'.repeat(depth);
    const within = await q(`{ __schema { queryType { fields { type { ${ofType(10)} } } } } }`);
    expect(within.status).toBe(200);
    const tooDeep = await q(`{ __schema { queryType { fields { type { ${ofType(12)} } } } } }`);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors[0].message).toMatch(/query depth \(17\) exceeds the query depth limit of 15/);
    const page = (n: number) => `a${n}: aliases(region: "${REGION}", first: $first) {
      edges { cursor node { ${VERSION} startedBy { ${CAUSE} } endedBy { ${CAUSE} } } } }`;
    const costly = `query ($first: Int!) { ${page(1)} ${page(2)} }`;
    const refused = await q(costly, { first: 1000 });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].message).toMatch(/^Query complexity \d+ exceeds the limit of 50000/);
    expect(refused.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    // The same document with small pages is fine: the cost follows the variables.
    const small = await q(costly, { first: 5 });
    expect(small.status).toBe(200);
    expect(small.body.data.a1.edges).toHaveLength(5);
    // GraphiQL's own introspection query fits.
    const { getIntrospectionQuery } = await import('graphql');
    const introspection = await q(
      getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true }),
    );
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.status).toBe(200);
    expect(introspection.body.data.__schema.queryType.name).toBe('Query');
  });

  it('answers bad input with GraphQL errors or 400, never a 500', async () => {
    const error = async (query: string, variables: Record<string, unknown> = {}) => {
      const { status, body } = await q(query, variables);
      expect(status).toBeLessThan(500);
      expect(body.errors?.length).toBeGreaterThan(0);
      return { status, code: body.errors[0].extensions?.code, message: body.errors[0].message as string };
    };
    const atLiteral = await error(`{ aliasesAt(region: "${REGION}", at: "yesterday") { position } }`);
    expect(atLiteral.status).toBe(400);
    expect(atLiteral.message).toMatch(/RFC 3339/);
    const atVariable = await error(`query ($at: DateTime!) { aliasesAt(region: "${REGION}", at: $at) { position } }`, {
      at: '2026-02-30T25:00:00',
    });
    expect(atVariable.status).toBe(400);
    expect((await error(`{ aliases(region: "${REGION}", first: 1001) { position } }`)).code).toBe('BAD_USER_INPUT');
    expect((await error(`{ aliases(region: "${REGION}", first: 0) { position } }`)).code).toBe('BAD_USER_INPUT');
    expect((await error(`{ aliases(region: "${REGION}", after: "bm9wZQ") { position } }`)).code).toBe('BAD_USER_INPUT');
    expect((await error(`{ aliases(region: "Mars") { position } }`)).code).toBe('BAD_USER_INPUT');
    expect((await error(`{ alias(region: "${REGION}", name: "finance") { position } }`)).code).toBe('BAD_USER_INPUT');
    expect((await error(`{ key(region: "${REGION}", keyId: "alias/finance") { arn } }`)).code).toBe('BAD_USER_INPUT');
    expect((await error(`{ nope }`)).status).toBe(400);
    expect((await error(`{ aliases(region: `)).status).toBe(400);
    const huge = `{ ${Array.from({ length: 4000 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect((await error(huge)).status).toBe(400);
    const malformed = await graphql(kms.url, '', {}, { rawBody: '{"query": "{ __typename }"' });
    expect(malformed.status).toBe(400);
    // Still serving.
    expect((await q('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves GraphiQL outside production only, from its own files (npm run build makes them)', async () => {
    const page = await fetch(`${kms.url}/graphiql`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    // No CDN: its scripts and styles are the service's, and its policy allows nothing else.
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(page.headers.get('content-security-policy')).toBe(GRAPHIQL_POLICY);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const script = /src="(\/graphiql\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${kms.url}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // Paths as sent (fetch would resolve the dots): only the build's own files are ever served.
    for (const path of [
      '/graphiql/assets/nope.js',
      '/graphiql/assets/%2e%2e/%2e%2e/package.json',
      '/graphiql/../package.json',
    ])
      expect([path, await rawStatus(kms.url, path)]).toEqual([path, 404]);
    const production = await createTestApp(kms.database.url, { NODE_ENV: 'production' });
    try {
      await production.listen(0, '127.0.0.1');
      const { port } = production.getHttpServer().address() as { port: number };
      expect((await fetch(`http://127.0.0.1:${port}/graphiql`)).status).toBe(404);
      expect((await graphql(`http://127.0.0.1:${port}`, '{ __typename }')).status).toBe(200);
    } finally {
      await production.close();
    }
  });
});
