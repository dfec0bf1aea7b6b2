import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { type Kysely, sql } from 'kysely';
import { importCloudTrail } from '../../src/cloudtrail-import/cloudtrail-importer';
import { listCloudTrailFiles } from '../../src/cloudtrail-import/cloudtrail-files';
import { createKysely, createPool } from '../../src/database/create-database';
import type { Database } from '../../src/database/database.types';
import { kmsRecord, s3Record } from '../support/cloudtrail-files';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

const ACCOUNT = '720000000001';
const SIZE = 2 * 1024 ** 3;

/**
 * Writes a 2 GB CloudTrail file ({"Records": [...]}, uncompressed): other services' records all
 * along, 2,500 KMS records at the start, and a last record cut off, as a transfer that stopped
 * would leave it. Answers how many whole records it holds.
 */
async function writeHugeFile(file: string): Promise<number> {
  const out = fs.createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('{"Records":[');
  // More KMS records than a batch: the file's records wait in the staging table, which its failure empties.
  const kms = Array.from({ length: 2500 }, () =>
    JSON.stringify(kmsRecord({ accountId: ACCOUNT, eventName: 'Encrypt', eventTime: '2026-03-01T10:00:00Z' })),
  );
  await write(kms.join(','));
  let records = kms.length;
  let written = 12 + kms.join(',').length;
  // A chunk of a thousand other records, written again and again (the importer does not look inside them).
  const chunk = Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify(s3Record(ACCOUNT, `2026-03-01T11:${String(i % 60).padStart(2, '0')}:00Z`)),
  ).join(',');
  while (written < SIZE) {
    await write(`,${chunk}`);
    written += chunk.length + 1;
    records += 1000;
  }
  await write(',{"eventVersion":"1.08","eventSource":"kms.amazonaws.com","eventName":"Decr');
  out.end();
  await once(out, 'finish');
  return records;
}

/**
 * A 2 GB file whose end is cut off: the import reads it in bounded memory, names the file and the
 * record that failed, applies nothing of it (not even its good KMS records), and goes on with the
 * next file.
 */
describe('a 2 GB CloudTrail file', () => {
  let database: TestDatabase;
  let db: Kysely<Database>;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-huge-'));
    database = await createTestDatabase();
    db = createKysely(createPool(database.url, { max: 1, idleTransactionTimeoutMs: 60_000 }));
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is read in bounded memory; cut off, it fails whole with its record named, and the next file is imported', async () => {
    const huge = path.join(dir, 'a-huge.json');
    const records = await writeHugeFile(huge);
    expect(fs.statSync(huge).size).toBeGreaterThanOrEqual(SIZE);
    const next = path.join(dir, 'b-next.json');
    const good = kmsRecord({ accountId: ACCOUNT, eventName: 'CreateKey', eventTime: '2026-03-02T10:00:00Z' });
    fs.writeFileSync(next, JSON.stringify({ Records: [good] }));

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const summary = await importCloudTrail(db, await listCloudTrailFiles([dir])).finally(() => clearInterval(timer));

    expect(summary.files).toEqual({ total: 2, done: 1, failed: 1 });
    expect(summary.errors).toHaveLength(1);
    // The record after the last whole one is the one that failed.
    expect(summary.errors[0]).toBe(`${huge}: the file ends inside record ${records + 1} (truncated JSON)`);
    const { rows } = await sql<{ event_id: string }>`
      SELECT event_id::text FROM events WHERE type = 'CloudTrailRecordImported'`.execute(database.db);
    expect(rows.map((r) => r.event_id)).toEqual([good.eventID]);
    // Memory holds a batch of records, not the file: far below its 2 GB.
    expect((peak - baseline) / 1024 ** 2).toBeLessThan(300);
  }, 600_000);
});
