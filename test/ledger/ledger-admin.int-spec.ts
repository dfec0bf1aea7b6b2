import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import { sql } from 'kysely';
import { eventually } from '../support/events';
import { type KmsTestApp, startKmsApp } from '../support/kms-test-app';
import { queryHeaders } from '../support/query-client';
import { asSuperuser } from './ledger-fixture';

async function call(base: string, method: 'GET' | 'POST', route: string, sign = true) {
  const url = new URL(route, base);
  const headers = await queryHeaders(method, url, {}, undefined, { sign });
  const response = await fetch(url, { method, headers });
  return { status: response.status, body: (await response.json()) as any };
}

/** Two service instances share the database: both run the sequencer, and either answers verify. */
describe('the ledger in the service', () => {
  let kms: KmsTestApp;
  let keyDir: string;

  beforeAll(async () => {
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-ledger-app-'));
    kms = await startKmsApp(
      {
        ALIASTRAIL_LEDGER_KEY_FILE: path.join(keyDir, 'ledger-signing-key.pem'),
        ALIASTRAIL_LEDGER_DIGEST_EVENTS: '5',
        ALIASTRAIL_POLL_INTERVAL_MS: '20',
      },
      2,
    );
    for (let i = 0; i < 6; i++) {
      const key = await kms.client({ instance: i }).send(new CreateKeyCommand({}));
      await kms
        .client({ instance: i + 1 })
        .send(new CreateAliasCommand({ AliasName: `alias/ledger-${i}`, TargetKeyId: key.KeyMetadata!.KeyId! }));
    }
  });
  afterAll(async () => {
    await kms.close();
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  const chained = () =>
    eventually(async () => {
      const { rows } = await sql<{ behind: boolean }>`
        SELECT (SELECT count(*) FROM events) > (SELECT ledger_seq FROM ledger_state) AS behind`.execute(
        kms.database.db,
      );
      return !rows[0]!.behind;
    }, 20_000);

  it('chains what the KMS API writes, generates the key on first start and exports its public key', async () => {
    expect(await chained()).toBe(true);
    const status = await call(kms.urls[1]!, 'GET', '/admin/ledger');
    expect(status.status).toBe(200);
    expect(status.body.ledgerSeq).toBeGreaterThanOrEqual(12);
    expect(status.body.digestSeq).toBeGreaterThanOrEqual(2);
    // The last signed digest, as the export writes it, and its signature checked.
    const last = await call(kms.urls[1]!, 'GET', '/admin/ledger');
    expect(last.body.lastDigest).toMatchObject({ signatureValid: true, document: { format: 'aliastrail-ledger/1' } });
    expect(last.body.lastDigest.document.digest_seq).toBe(last.body.digestSeq);
    expect(last.body.lastDigest.document.signature).toMatch(/^[0-9a-f]{128}$/);
    expect(fs.statSync(path.join(keyDir, 'ledger-signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(keyDir, 'ledger-signing-key.pub.pem'), 'utf8')).toContain('PUBLIC KEY');
  });

  it('POST /admin/ledger/verify answers the report; unsigned calls are refused', async () => {
    expect(await chained()).toBe(true);
    expect((await call(kms.url, 'POST', '/admin/ledger/verify', false)).status).toBe(401);
    const verified = await call(kms.url, 'POST', '/admin/ledger/verify');
    expect(verified).toMatchObject({ status: 200, body: { ok: true, mode: 'online', firstBad: null } });
    expect(verified.body.entries).toBeGreaterThanOrEqual(12);

    const { rows } = await sql<{ position: string }>`SELECT position::text FROM ledger WHERE ledger_seq = 3`.execute(
      kms.database.db,
    );
    await asSuperuser(
      kms.database.db,
      `UPDATE events SET metadata = metadata || '{"sourceIPAddress": "10.6.6.6"}' WHERE position = ${rows[0]!.position}`,
    );
    const tampered = await call(kms.urls[1]!, 'POST', '/admin/ledger/verify');
    expect(tampered).toMatchObject({ status: 200, body: { ok: false, firstBad: { kind: 'edited', ledgerSeq: 3 } } });
  });

  // Last: it tampers with the newest digest for good.
  it('shows a tampered last digest as failing its signature, and a status all the same', async () => {
    expect(await chained()).toBe(true);
    await asSuperuser(
      kms.database.db,
      `UPDATE ledger_digests SET event_count = event_count + 1 WHERE digest_seq = (SELECT max(digest_seq) FROM ledger_digests)`,
    );
    const status = await call(kms.url, 'GET', '/admin/ledger');
    expect(status.status).toBe(200);
    expect(status.body.lastDigest.signatureValid).toBe(false);
    // Times no document can spell (past 2255 in microseconds as a safe integer), or no bigint holds.
    for (const time of ['2400-01-01 00:00:00+00', '294276-12-31 23:59:59+00']) {
      await asSuperuser(
        kms.database.db,
        `UPDATE ledger_digests SET signed_at = '${time}' WHERE digest_seq = (SELECT max(digest_seq) FROM ledger_digests)`,
      );
      const unreadable = await call(kms.url, 'GET', '/admin/ledger');
      expect(unreadable.status).toBe(200);
      expect(unreadable.body.lastDigest).toMatchObject({ signatureValid: false });
    }
  });
});
