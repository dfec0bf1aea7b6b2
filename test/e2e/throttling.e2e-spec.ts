import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { graphql } from '../support/graphql-client';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { queryApi, queryHeaders } from '../support/query-client';

// One token a second: a check that a budget is empty holds unless a second passes between drain and check.
const RATE = 1;
const BURST = 3;

const settle = () => new Promise((resolve) => setTimeout(resolve, (BURST / RATE) * 1000 + 200)); // refills the whole burst
const sdkOutcome = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) =>
      `${e.name} ${e.$metadata.httpStatusCode} ${e.message}`,
  );

/**
 * ALIASTRAIL_RATE_LIMIT: per-principal token buckets, off by default. The KMS API, the CloudTrail API
 * and the query APIs (REST, GraphQL, admin) each have their own bucket per principal, as AWS limits
 * each service apart: hammering one never throttles another.
 */
describe('per-principal rate limits', () => {
  let kms: KmsTestApp;
  const cloudTrail = () => kms.trail();

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_RATE_LIMIT: String(RATE), ALIASTRAIL_RATE_BURST: String(BURST) });
  });
  afterAll(() => kms.close());
  beforeEach(settle);

  it("answers ThrottlingException past the burst, in AWS's shape, and lets calls through again as tokens come back", async () => {
    const client = kms.client();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => sdkOutcome(client.send(new ListAliasesCommand({})))),
    );
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(BURST);
    expect(outcomes.filter((o) => o === 'ok').length).toBeLessThanOrEqual(BURST + 1); // a token may refill meanwhile
    expect(outcomes).toContain('ThrottlingException 400 Rate exceeded');
    // The query APIs and CloudTrail have their own budgets: the KMS one being empty does not touch them.
    expect((await queryApi(kms.url, '/api/regions/us-west-2/aliases')).status).toBe(200);
    await expect(cloudTrail().send(new LookupEventsCommand({ MaxResults: 1 }))).resolves.toBeDefined();
    await settle();
    await expect(client.send(new ListAliasesCommand({}))).resolves.toBeDefined();
  });

  it('throttles CloudTrail LookupEvents with the same error, on its own budget', async () => {
    const trail = cloudTrail();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => sdkOutcome(trail.send(new LookupEventsCommand({ MaxResults: 1 })))),
    );
    expect(outcomes.filter((o) => o === 'ok').length).toBeLessThanOrEqual(BURST + 1);
    expect(outcomes).toContain('ThrottlingException 400 Rate exceeded');
    await expect(kms.client().send(new ListAliasesCommand({}))).resolves.toBeDefined();
  });

  it('answers 429 ThrottlingException on the REST, admin and GraphQL routes, which share one budget per principal', async () => {
    const rest = await Promise.all(
      Array.from({ length: 6 }, () => queryApi(kms.url, '/api/regions/us-west-2/audit-events?limit=1')),
    );
    expect(rest.filter((r) => r.status === 200).length).toBeLessThanOrEqual(BURST + 1);
    const throttled = rest.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const answer of throttled)
      expect(answer.body).toEqual({ error: { code: 'ThrottlingException', message: 'Rate exceeded' } });

    // The admin API and GraphQL draw on the same (now empty) budget.
    const admin = new URL('/admin/projections/temporal/rebuild', kms.url);
    const adminAnswer = await fetch(admin, { headers: await queryHeaders('GET', admin, {}, undefined, {}) });
    expect(adminAnswer.status).toBe(429);
    const gql = await graphql(kms.url, '{ aliases(region: "us-west-2") { nodes { aliasName } } }');
    expect(gql.status).toBe(429);
    expect(gql.body).toEqual({
      data: null,
      errors: [{ message: 'Rate exceeded', extensions: { code: 'THROTTLED', reason: 'ThrottlingException' } }],
    });

    // The KMS API is not affected, and the query APIs answer again once tokens come back.
    await expect(kms.client().send(new ListAliasesCommand({}))).resolves.toBeDefined();
    await settle();
    expect((await queryApi(kms.url, '/api/regions/us-west-2/audit-events?limit=1')).status).toBe(200);
    expect((await graphql(kms.url, '{ aliases(region: "us-west-2") { nodes { aliasName } } }')).status).toBe(200);
  });

  it('checks credentials before the budget: an unsigned flood is refused with 401 and spends nobody’s tokens', async () => {
    const unsigned = await Promise.all(
      Array.from({ length: 10 }, () => queryApi(kms.url, '/api/regions/us-west-2/aliases', { sign: false })),
    );
    expect(new Set(unsigned.map((r) => r.status))).toEqual(new Set([401]));
    const signed = await Promise.all(
      Array.from({ length: BURST }, () => queryApi(kms.url, '/api/regions/us-west-2/aliases')),
    );
    expect(signed.map((r) => r.status)).toEqual(Array(BURST).fill(200));
  });
});
