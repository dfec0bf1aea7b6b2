import * as os from 'node:os';
import { Writable } from 'node:stream';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/create-logger';
import { graphql } from '../support/graphql-client';
import { brokenInvariants, kmsLog } from '../support/kms-invariants';
import { queryApi, queryHeaders, signedGet } from '../support/query-client';
import { rawKms } from '../support/raw-kms';
import { TEST_CREDENTIALS } from '../support/test-app';
import { type TestDatabase, createTestDatabase } from '../support/test-database';
import { OPERATIONS as KMS_OPERATIONS } from '../../src/kms-api/operations';

const BEARER = 'hardening-bearer-token-5e0b7c1d9a2f4e38';
/** Every operation the KMS API serves. */
const OPERATIONS = Object.keys(KMS_OPERATIONS);
/** What must never appear in an answer: a stack frame, a file path, SQL, a driver's words. */
const LEAKS =
  /\bat [\w.<>]+ \(|node_modules|\/src\/|\.ts:\d|\bSELECT\b|\bINSERT\b|\bUPDATE \w+ SET\b|relation "|syntax error at/i;

/**
 * The service against hostile input: security headers on every answer, no credential in any log
 * line, and a fuzzer sending random and mutated KMS, REST and GraphQL requests, after which the
 * service still answers and the invariants of the log hold.
 */
describe('hardening', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  let client: KMSClient;
  const logLines: string[] = [];
  const keys: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase({ poolSize: 6 });
    const config = loadConfig({
      LOG_LEVEL: 'debug',
      ALIASTRAIL_DATA_DIR: os.tmpdir(),
      ALIASTRAIL_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      ALIASTRAIL_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      ALIASTRAIL_ACCOUNT_ID: TEST_CREDENTIALS.accountId,
      ALIASTRAIL_POLL_INTERVAL_MS: '20',
    });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    app = await createApp(config, database.url, createLogger(config, sink));
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    client = new KMSClient({ region: 'us-west-2', endpoint: url, maxAttempts: 1, credentials: TEST_CREDENTIALS });
    for (let i = 0; i < 3; i++) keys.push((await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    await client.send(new CreateAliasCommand({ AliasName: 'alias/fuzz-0', TargetKeyId: keys[0] }));
  });
  afterAll(async () => {
    client?.destroy();
    await app?.close();
    await database?.drop();
  });

  it('sends security headers on REST, GraphQL and KMS answers, errors included', async () => {
    const answers = [
      await fetch(`${url}/api/regions/us-west-2/aliases`), // 401
      await fetch(`${url}/graphql`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
      await fetch(`${url}/`, { method: 'POST', body: '{}' }),
      await fetch(`${url}/health/live`),
    ];
    for (const answer of answers) {
      await answer.arrayBuffer(); // a body left unread keeps its connection, and Jest, waiting
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    const ok = await queryApi(url, '/api/regions/us-west-2/aliases');
    expect(ok.status).toBe(200);
  });

  it('refuses a body over 1 MiB on every route that takes one, signed or not, with a JSON 413 and nothing else', async () => {
    const big = JSON.stringify({
      query: `{ aliases(region: "us-west-2") { nodes { aliasName } } }`,
      pad: 'x'.repeat(2 << 20),
    });
    for (const route of ['/graphql', '/admin/ledger/verify', '/admin/projections/temporal/rebuild']) {
      const target = new URL(route, url);
      for (const headers of [
        { 'content-type': 'application/json' },
        await queryHeaders('POST', target, { 'content-type': 'application/json' }, big, {}),
      ]) {
        const answer = await fetch(target, { method: 'POST', body: big, headers });
        const text = await answer.text();
        expect([route, answer.status]).toEqual([route, 413]);
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
        expect(() => JSON.parse(text)).not.toThrow();
        if (route !== '/graphql')
          expect(JSON.parse(text)).toEqual({
            error: {
              code: 'RequestEntityTooLarge',
              message: 'The request body is larger than the 1048576 bytes accepted.',
            },
          });
        expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules|SELECT|stack/i);
      }
    }
    // Nothing was started, and the service answers as before.
    expect((await queryApi(url, '/admin/projections/temporal/rebuild')).status).not.toBe(202);
    expect((await queryApi(url, '/api/regions/us-west-2/aliases')).status).toBe(200);
  });

  it('fuzz: every random or mutated request gets a well-formed answer, and the service and its invariants survive', async () => {
    const kmsBody = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            AliasName: fc.oneof(
              fc.string({ maxLength: 300 }),
              fc.constantFrom('alias/fuzz-0', 'alias/fuzz-1', 'alias/aws/s3', 'alias/', 'alias/fuzz-0\u0000'),
              fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `alias/${s}`),
            ),
            TargetKeyId: fc.oneof(fc.constantFrom(...keys, 'alias/fuzz-0', ''), fc.string({ maxLength: 2100 })),
            KeyId: fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 100 })),
            Limit: fc.oneof(fc.integer(), fc.double(), fc.string()),
            Marker: fc.string({ maxLength: 60 }),
            PendingWindowInDays: fc.oneof(fc.integer({ min: -5, max: 400 }), fc.constant(null)),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }), // not JSON at all
    );
    const kmsRequest = fc.record({
      operation: fc.oneof(fc.constantFrom(...OPERATIONS), fc.string({ maxLength: 30 })),
      body: kmsBody,
      sign: fc.boolean(),
      tamper: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(kmsRequest, async ({ operation, body, sign, tamper }) => {
        const answer = await rawKms(url, body, {
          target: `TrentService.${operation}`,
          sign: sign || !tamper,
          tamper: tamper && sign ? (b) => `${b} ` : undefined,
        });
        expect(answer.status).toBeLessThan(500);
        if (answer.status !== 200) {
          expect(typeof answer.json?.__type).toBe('string');
          expect(answer.text).not.toMatch(LEAKS);
        }
      }),
      { numRuns: 300 },
    );

    const restPath = fc.oneof(
      fc.constantFrom(
        '/api/regions/us-west-2/aliases',
        '/api/regions/us-west-2/alias',
        '/api/regions/us-west-2/alias/history',
        '/api/regions/us-west-2/diff',
        '/api/regions/us-west-2/audit-events',
        '/api/regions/us-west-2/audit-events/export',
        `/api/regions/us-west-2/keys/${keys[0]}/aliases`,
      ),
      fc.string({ maxLength: 40 }).map((s) => `/api/regions/${encodeURIComponent(s)}/aliases`),
    );
    const restQuery = fc.dictionary(
      fc.constantFrom(
        'at',
        'name',
        'limit',
        'nextToken',
        'from',
        'to',
        'atPosition',
        'waitForPosition',
        'format',
        'username',
        'errorCode',
        'startTime',
      ),
      fc.oneof(
        fc.string({ maxLength: 50 }),
        fc.constantFrom('2026-01-01T00:00:00Z', '-1', '99999999999999999999', 'alias/fuzz-0', 'a\u0000b', '*'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(restPath, restQuery, async (path, query) => {
        const search = new URLSearchParams(query).toString();
        const answer = await signedGet(url, `${path}${search ? `?${search}` : ''}`);
        const text = await answer.text();
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) {
          const body = JSON.parse(text);
          expect(typeof (body.error?.code ?? body.message)).toBe('string');
        }
        expect(text).not.toMatch(LEAKS);
      }),
      { numRuns: 200 },
    );

    const valid = `{ aliases(region: "us-west-2", first: 5) { nodes { aliasName targetKeyId } } auditEvents(region: "us-west-2", first: 3) { nodes { eventName } } }`;
    const mutated = fc
      .tuple(fc.nat(valid.length), fc.nat(20), fc.string({ maxLength: 10 }))
      .map(([at, cut, insert]) => valid.slice(0, at) + insert + valid.slice(Math.min(valid.length, at + cut)));
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated, fc.string({ maxLength: 300 })), async (query) => {
        const answer = await graphql(url, query);
        expect(answer.status).toBeLessThan(500);
        expect(typeof answer.body).toBe('object');
        expect(answer.body.data !== undefined || Array.isArray(answer.body.errors)).toBe(true);
        expect(JSON.stringify(answer.body)).not.toMatch(LEAKS);
      }),
      { numRuns: 200 },
    );

    // Still up, still answering, and the log still obeys design §4.
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    // On a fresh key: the fuzzer may have scheduled the deletion of any of the others.
    const fresh = (await client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: 'alias/after-fuzz', TargetKeyId: fresh }));
    expect(brokenInvariants(await kmsLog(database.db))).toEqual([]);
  });

  it('never logs a secret: not the secret key, a signature, a bearer token nor a query string', async () => {
    await queryApi(url, '/api/regions/us-west-2/aliases?name=secret-in-query', { bearer: BEARER });
    await queryApi(url, '/api/regions/us-west-2/aliases');
    await rawKms(url, '{}', { target: 'TrentService.ListAliases' });
    await rawKms(url, '{}', { target: 'TrentService.ListAliases', secretAccessKey: 'wrong-secret-key-000000000000' });
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).toContain('incoming request');
    expect(logs).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(logs).not.toContain(BEARER);
    expect(logs).not.toMatch(/Signature=[0-9a-f]{16}/);
    expect(logs).not.toContain('secret-in-query');
  });
});
