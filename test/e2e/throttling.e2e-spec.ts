import { ListAliasesCommand } from '@aws-sdk/client-kms';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { queryApi } from '../support/query-client';

/** ALIASTRAIL_RATE_LIMIT: per-principal token buckets in front of the KMS API, off by default. */
describe('per-principal rate limits', () => {
  let kms: KmsTestApp;

  beforeAll(async () => {
    kms = await startKmsApp({ ALIASTRAIL_RATE_LIMIT: '2', ALIASTRAIL_RATE_BURST: '3' });
  });
  afterAll(() => kms.close());

  it("answers ThrottlingException past the burst, in AWS's shape, and lets calls through again as tokens come back", async () => {
    const client = kms.client();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        client.send(new ListAliasesCommand({})).then(
          () => 'ok',
          (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) =>
            `${e.name} ${e.$metadata.httpStatusCode} ${e.message}`,
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'ok').length).toBeLessThanOrEqual(4); // the burst, and a token that refilled
    expect(outcomes).toContain('ThrottlingException 400 Rate exceeded');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(client.send(new ListAliasesCommand({}))).resolves.toBeDefined();
    // The query APIs are not throttled by it, and the service answers as before.
    expect((await queryApi(kms.url, '/api/regions/us-west-2/aliases')).status).toBe(200);
  });
});
