import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateKeyCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { type Kysely, sql } from 'kysely';
import { importCloudTrail } from '../../src/cloudtrail-import/cloudtrail-importer';
import { listCloudTrailFiles } from '../../src/cloudtrail-import/cloudtrail-files';
import type { Database } from '../../src/database/database.types';
import { waitForRecords } from '../support/cloudtrail-records';
import { kmsRecord, s3Record, writeLookupEventsFile, writeS3LogFile } from '../support/cloudtrail-files';
import { queryApi } from '../support/query-client';
import type { KmsTestApp } from '../support/kms-test-app';
import { type ImportingApp, startImportingApp } from '../support/importing-app';
import { TEST_CREDENTIALS } from '../support/test-app';

const OBSERVED = '444455556666';
/** A principal of the observed account, to try the KMS API on it. */
const observer = {
  accessKeyId: 'AKIAOBSERVEDACCOUNT1',
  secretAccessKey: 'observed-account-secret-000000000000000',
  accountId: OBSERVED,
  arn: `arn:aws:iam::${OBSERVED}:user/Observer`,
  userName: 'Observer',
  policies: [
    { Statement: { Effect: 'Allow', Action: ['kms:*', 'cloudtrail:LookupEvents', 'aliastrail:*'], Resource: '*' } },
  ],
};

/**
 * `import cloudtrail`: CloudTrail files (S3 log files, gzipped or not, JSON Lines, saved lookup-events
 * output) become an observed account's events, every eventID once; bad files are named and leave
 * nothing behind; an account is served or observed, never both.
 */
describe('importing CloudTrail files into an observed account', () => {
  let app: ImportingApp;
  let kms: KmsTestApp;
  let db: Kysely<Database>;
  let root: string;

  beforeAll(async () => {
    app = await startImportingApp([observer]);
    ({ kms, db, root } = app);
  });
  afterAll(async () => app.close());

  const imported = async () => {
    const { rows } = await sql<{ event_id: string; occurred_at: Date; record: string; tags: string[] }>`
      SELECT event_id::text, occurred_at, data->>'record' AS record, tags FROM events
       WHERE type = 'CloudTrailRecordImported' ORDER BY occurred_at, event_id`.execute(kms.database.db);
    return rows;
  };
  const importPaths = async (paths: string[], strict = false) =>
    importCloudTrail(db, await listCloudTrailFiles(paths), { strict });

  const records = [
    kmsRecord({ accountId: OBSERVED, eventName: 'CreateKey', eventTime: '2026-03-01T10:00:00Z' }),
    kmsRecord({ accountId: OBSERVED, eventName: 'CreateAlias', eventTime: '2026-03-01T10:05:00Z' }),
    kmsRecord({ accountId: OBSERVED, eventName: 'Encrypt', eventTime: '2026-03-01T10:06:00Z', readOnly: true }),
  ];
  const jsonLine = kmsRecord({
    accountId: OBSERVED,
    region: 'eu-west-1',
    eventName: 'ListAliases',
    eventTime: '2026-03-02T09:00:00Z',
  });
  const lookedUp = kmsRecord({ accountId: OBSERVED, eventName: 'UpdateAlias', eventTime: '2026-03-03T08:00:00Z' });

  it('imports the KMS records of S3 log files, JSON Lines and lookup-events output, and skips the rest', async () => {
    const dir = path.join(root, 'good');
    writeS3LogFile(dir, OBSERVED, 'us-east-1', 'a', [
      records[0]!,
      s3Record(OBSERVED, '2026-03-01T10:01:00Z'),
      ...records.slice(1),
      s3Record(OBSERVED, '2026-03-01T10:07:00Z'),
    ]);
    fs.writeFileSync(path.join(dir, 'lines.jsonl'), `${JSON.stringify(jsonLine)}\n`);
    writeLookupEventsFile(path.join(dir, 'lookup.json'), [lookedUp]);
    fs.writeFileSync(path.join(dir, 'README.txt'), 'not a record file');
    // Months old, yet appended: the transaction-time cap (enforced here) is the service's writers' rule.
    const { rows: cap } = await sql<{ cap: unknown }>`SELECT cap FROM event_time_cap`.execute(kms.database.db);
    expect(cap[0]!.cap).not.toBeNull();
    const summary = await importPaths([dir]);
    expect(summary).toMatchObject({
      files: { total: 3, done: 3, failed: 0 },
      records: 7,
      kmsRecords: 5,
      otherRecords: 2,
      added: 5,
      duplicates: 0,
      errors: [],
    });
    expect(Object.fromEntries(summary.byScope)).toEqual({
      [`${OBSERVED} eu-west-1`]: 1,
      [`${OBSERVED} us-east-1`]: 4,
    });
    const rows = await imported();
    const all = [...records, jsonLine, lookedUp];
    expect(rows.map((row) => row.event_id)).toEqual(all.map((record) => record.eventID));
    // Kept verbatim: the record's text as the file had it, dated when AWS logged it.
    expect(rows.map((row) => row.record)).toEqual(all.map((record) => JSON.stringify(record)));
    expect(rows.map((row) => row.occurred_at.toISOString())).toEqual(
      all.map((r) => new Date(r.eventTime).toISOString()),
    );
    expect(rows[3]!.tags).toEqual([`observed:${OBSERVED}:eu-west-1`]);
  });

  it('keeps each record verbatim in the audit trail: LookupEvents and the audit search show the originals', async () => {
    const trail = kms.trail({
      region: 'us-east-1',
      accessKeyId: observer.accessKeyId,
      secretAccessKey: observer.secretAccessKey,
    });
    const shown = await waitForRecords(trail, 'CreateAlias');
    expect(shown.map((event) => event.CloudTrailEvent)).toEqual([JSON.stringify(records[1])]);
    expect(shown[0]).toMatchObject({ EventId: records[1]!.eventID, EventName: 'CreateAlias', Username: 'Alice' });
    const search = await queryApi(kms.url, '/api/regions/eu-west-1/audit-events?eventName=ListAliases', {
      credentials: observer,
      region: 'eu-west-1',
    });
    expect(search.status).toBe(200);
    expect(search.body.events.map((e: { cloudTrailEvent: unknown }) => e.cloudTrailEvent)).toEqual([jsonLine]);
  });

  it('adds nothing for records it has: the same files again, or the same records in another file', async () => {
    const again = path.join(root, 'again');
    fs.mkdirSync(again);
    fs.writeFileSync(path.join(again, 'plain.json'), JSON.stringify({ Records: records }));
    const summary = await importPaths([path.join(root, 'good'), again]);
    expect(summary).toMatchObject({ files: { done: 4, failed: 0 }, kmsRecords: 8, added: 0, duplicates: 8 });
    expect((await imported()).length).toBe(5);
  });

  it('names the file and record of bad input, applies nothing of a file that failed, and goes on', async () => {
    const dir = path.join(root, 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a-corrupt.json.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7]));
    const whole = JSON.stringify({ Records: records });
    // Cut 20 bytes into the second record.
    fs.writeFileSync(
      path.join(dir, 'b-truncated.json'),
      whole.slice(0, whole.indexOf(JSON.stringify(records[1])) + 20),
    );
    fs.writeFileSync(path.join(dir, 'c-not-cloudtrail.json'), '[1, 2, 3]');
    const good = [0, 1].map((i) =>
      kmsRecord({ accountId: OBSERVED, eventName: 'TagResource', eventTime: `2026-03-04T0${i}:00:00Z` }),
    );
    const { eventID: _lost, ...missing } = kmsRecord({
      accountId: OBSERVED,
      eventName: 'DisableKey',
      eventTime: '2026-03-04T03:00:00Z',
    });
    fs.writeFileSync(
      path.join(dir, 'd-missing-field.jsonl'),
      [...good, missing].map((r) => JSON.stringify(r)).join('\n'),
    );
    const fine = kmsRecord({ accountId: OBSERVED, eventName: 'EnableKey', eventTime: '2026-03-05T00:00:00Z' });
    fs.writeFileSync(path.join(dir, 'e-fine.jsonl'), JSON.stringify(fine));
    const before = (await imported()).length;
    const summary = await importPaths([dir]);
    expect(summary.files).toEqual({ total: 5, done: 1, failed: 4 });
    expect(summary.errors).toEqual([
      expect.stringMatching(/a-corrupt\.json\.gz: not a valid gzip file/),
      expect.stringMatching(/b-truncated\.json: the file ends inside record 2 \(truncated JSON\)/),
      expect.stringMatching(/c-not-cloudtrail\.json: not CloudTrail/),
      expect.stringMatching(/d-missing-field\.jsonl, record 3: no eventID/),
    ]);
    // Of the file that failed at its third record, not even the first two.
    expect((await imported()).map((row) => row.event_id)).toEqual(
      expect.not.arrayContaining(good.map((r) => r.eventID)),
    );
    expect((await imported()).length).toBe(before + 1);
    const strict = await importPaths([dir], true);
    expect(strict.files).toEqual({ total: 5, done: 0, failed: 1 });
  });

  it('refuses the records of an account the KMS API serves: an account is one or the other', async () => {
    await kms.client().send(new CreateKeyCommand({}));
    const dir = path.join(root, 'served');
    const record = kmsRecord({
      accountId: TEST_CREDENTIALS.accountId,
      eventName: 'CreateKey',
      eventTime: '2026-03-01T00:00:00Z',
    });
    writeS3LogFile(dir, TEST_CREDENTIALS.accountId, 'us-east-1', 'served', [record]);
    // Small files commit together: the one refused is named, and the ones beside it go in.
    const beside = kmsRecord({ accountId: OBSERVED, eventName: 'DisableKey', eventTime: '2026-03-04T00:00:00Z' });
    writeS3LogFile(dir, OBSERVED, 'us-east-1', 'beside', [beside]);
    const summary = await importPaths([dir]);
    expect(summary.errors).toEqual([
      expect.stringContaining(`account ${TEST_CREDENTIALS.accountId} is served by the KMS API`),
    ]);
    expect(summary.files).toMatchObject({ done: 1, failed: 1 });
    const ids = (await imported()).map((row) => row.event_id);
    expect(ids).not.toContain(record.eventID);
    expect(ids).toContain(beside.eventID);

    // --strict stops at a file refused at its commit, too: the file after it is not imported.
    const after = path.join(root, 'after-served');
    const later = kmsRecord({ accountId: OBSERVED, eventName: 'EnableKey', eventTime: '2026-03-05T00:00:00Z' });
    writeS3LogFile(after, OBSERVED, 'us-east-1', 'later', [later]);
    const strict = await importPaths([dir, after], true);
    expect(strict.files).toMatchObject({ failed: 1 });
    expect((await imported()).map((row) => row.event_id)).not.toContain(later.eventID);
  });

  it('refuses KMS writes to an observed account, and provisions nothing there on a read', async () => {
    const client = kms.client({ accessKeyId: observer.accessKeyId, secretAccessKey: observer.secretAccessKey });
    await expect(client.send(new CreateKeyCommand({}))).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
      message: `Account ${OBSERVED} is observed: its history comes from imported CloudTrail records, and the KMS API does not change it.`,
    });
    expect((await client.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });
});
