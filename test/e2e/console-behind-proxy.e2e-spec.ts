import { waitForRecords } from '../support/cloudtrail-records';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { TEST_CREDENTIALS } from '../support/test-app';

/** A sign-in as it reaches the service through a TLS-terminating proxy that says who called. */
const signInThroughProxy = (url: string) =>
  fetch(`${url}/console/api/sign-in`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
    },
    body: JSON.stringify({
      accessKeyId: TEST_CREDENTIALS.accessKeyId,
      secretAccessKey: TEST_CREDENTIALS.secretAccessKey,
    }),
  });

/** The sourceIPAddress of the newest ConsoleLogin record. */
async function lastSignInAddress(kms: KmsTestApp): Promise<string> {
  const [record] = await waitForRecords(kms.trail({ region: 'us-east-1' }), 'ConsoleLogin');
  return (JSON.parse(record!.CloudTrailEvent!) as { sourceIPAddress: string }).sourceIPAddress;
}

describe('the console behind a reverse proxy (ALIASTRAIL_TRUST_PROXY)', () => {
  it("believes a configured proxy: the caller's address in the record, and a Secure cookie over its https", async () => {
    const kms = await startKmsApp({ ALIASTRAIL_TRUST_PROXY: '127.0.0.1,::1', ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    try {
      const answer = await signInThroughProxy(kms.url);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('set-cookie')).toMatch(/; Secure/);
      expect(await lastSignInAddress(kms)).toBe('203.0.113.9');
    } finally {
      await kms.close();
    }
  });

  it('ignores the same headers from anyone when no proxy is configured: any client can send them', async () => {
    const kms = await startKmsApp({ ALIASTRAIL_POLL_INTERVAL_MS: '20' });
    try {
      const answer = await signInThroughProxy(kms.url);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('set-cookie')).not.toMatch(/Secure/);
      expect(await lastSignInAddress(kms)).toBe('127.0.0.1');
    } finally {
      await kms.close();
    }
  });
});
