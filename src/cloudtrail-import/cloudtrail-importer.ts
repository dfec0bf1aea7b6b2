import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';
import { appendStagedRecords, servedByKmsApi } from '../event-store/queries/imported-records';
import { registerObserved } from '../observed-accounts/observed-accounts';
import type { KmsRecord } from './cloudtrail-record';
import { type CloudTrailFile, FileError, readCloudTrailFile } from './cloudtrail-files';
import { type ImportSummary, emptySummary } from './import-summary';

/** The session's temporary table a file's KMS records wait in until the file is read to its end. */
const STAGING = 'cloudtrail_staging';
/** Records sent to the staging table per statement. */
const BATCH = 1000;

export interface ImportOptions {
  /** Stop at the first file that fails (default: say so and go on with the next). */
  readonly strict?: boolean;
  /** Hears how far the import has come, in bytes of the files on disk. */
  readonly onProgress?: (done: { files: number; bytes: number; records: number }) => void;
}

/** An account the KMS API serves: its records cannot be imported (an account is one or the other). */
export class ServedAccountError extends Error {}

/**
 * Imports CloudTrail files (cloudtrail-files.ts) into the event store as observed accounts' events
 * (design §11), one file at a time, each whole or not at all: its KMS records wait in a temporary
 * table on this session while the file streams (memory holds one batch, whatever the file's size),
 * then one short transaction appends them, every eventID once (so an import run again, overlapping
 * exports or a duplicate delivery add nothing, and an interrupted import resumes by running again),
 * and registers their accounts as observed. A file that fails leaves nothing behind.
 *
 * The whole import holds one connection of `db`: the staging table lives in its session, and a
 * pool would close an idle connection while a long file of other services' records streams by.
 */
export function importCloudTrail(
  db: Kysely<Database>,
  files: readonly CloudTrailFile[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return db.connection().execute((connection) => importOnOneConnection(connection, files, options));
}

async function importOnOneConnection(
  db: Kysely<Database>,
  files: readonly CloudTrailFile[],
  options: ImportOptions,
): Promise<ImportSummary> {
  const summary = emptySummary(files.length);
  await sql`CREATE TEMPORARY TABLE IF NOT EXISTS ${sql.table(STAGING)} (
              event_id uuid NOT NULL, event_time timestamptz NOT NULL, account_id text NOT NULL,
              region text NOT NULL, event_name text NOT NULL, record text NOT NULL, tags text NOT NULL,
              cause text NOT NULL,
              -- The record's place in its file: appended in this order, records of one second (CloudTrail's
              -- finest time) keep the order the file gave them.
              ord bigint GENERATED ALWAYS AS IDENTITY)`.execute(db);
  let bytesBefore = 0;
  for (const file of files) {
    let batch: KmsRecord[] = [];
    const flush = async () => {
      if (batch.length > 0) await stage(db, batch);
      batch = [];
    };
    try {
      await sql`TRUNCATE ${sql.table(STAGING)}`.execute(db);
      let bytes = 0;
      const counts = await readCloudTrailFile(
        file.path,
        async (record) => {
          batch.push(record);
          if (batch.length >= BATCH) await flush();
        },
        (read) => {
          bytes += read;
          options.onProgress?.({ files: summary.files.done, bytes: bytesBefore + bytes, records: summary.records });
        },
      );
      await flush();
      const appended = await commitFile(db);
      summary.records += counts.records;
      summary.kmsRecords += counts.kms;
      summary.otherRecords += counts.records - counts.kms;
      summary.added += appended.added;
      summary.duplicates += counts.kms - appended.added;
      for (const [scope, n] of appended.byScope) summary.byScope.set(scope, (summary.byScope.get(scope) ?? 0) + n);
      summary.files.done++;
    } catch (error) {
      await sql`TRUNCATE ${sql.table(STAGING)}`.execute(db);
      if (!(error instanceof FileError) && !(error instanceof ServedAccountError)) throw error;
      summary.files.failed++;
      summary.errors.push(error instanceof FileError ? error.message : `${file.path}: ${error.message}`);
      if (options.strict) break;
    }
    bytesBefore += file.bytes;
    options.onProgress?.({
      files: summary.files.done + summary.files.failed,
      bytes: bytesBefore,
      records: summary.records,
    });
  }
  return summary;
}

async function stage(db: Kysely<Database>, records: readonly KmsRecord[]): Promise<void> {
  const column = <T>(pick: (record: KmsRecord) => T) => records.map(pick);
  await sql`INSERT INTO ${sql.table(STAGING)} (event_id, event_time, account_id, region, event_name, record, tags, cause)
              SELECT * FROM unnest(${column((r) => r.eventId)}::uuid[], ${column((r) => r.eventTime.toISOString())}::timestamptz[],
                                   ${column((r) => r.accountId)}::text[], ${column((r) => r.region)}::text[],
                                   ${column((r) => r.eventName)}::text[], ${column((r) => r.text)}::text[],
                                   ${column((r) => r.change?.tags.join('\n') ?? '')}::text[],
                                   ${column((r) => JSON.stringify(r.change?.cause ?? {}))}::text[])`.execute(db);
}

/**
 * Appends the staged records in one transaction, after registering their accounts as observed and
 * checking that the KMS API never wrote to any of them. Answers how many were new, per scope.
 */
async function commitFile(db: Kysely<Database>): Promise<{ added: number; byScope: Map<string, number> }> {
  return db.transaction().execute(async (trx) => {
    const { rows: scopes } = await sql<{ account_id: string; region: string; n: number }>`
      SELECT account_id, region, count(DISTINCT event_id)::int AS n
        FROM ${sql.table(STAGING)}
       GROUP BY account_id, region ORDER BY account_id, region`.execute(trx);
    for (const accountId of new Set(scopes.map((s) => s.account_id))) {
      // One import at a time registers an account; the KMS API asks the registry before each write.
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`observed-account:${accountId}`}, 0))`.execute(trx);
      if (await servedByKmsApi(trx, accountId))
        throw new ServedAccountError(
          `account ${accountId} is served by the KMS API: an account is either served or observed, never both`,
        );
      await registerObserved(trx, accountId);
    }
    const added = await appendStagedRecords(trx, STAGING);
    const byScope = new Map(scopes.map((s) => [`${s.account_id} ${s.region}`, s.n]));
    return { added, byScope };
  });
}
