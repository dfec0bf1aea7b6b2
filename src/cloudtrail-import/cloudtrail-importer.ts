import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';
import { type RecordColumns, appendImportedRecords, servedByKmsApi } from '../event-store/queries/imported-records';
import { registerObserved } from '../observed-accounts/observed-accounts';
import type { KmsRecord } from './cloudtrail-record';
import { type CloudTrailFile, FileError, readCloudTrailFile } from './cloudtrail-files';
import { type ImportSummary, emptySummary } from './import-summary';

/** The session's temporary table a file's KMS records wait in until the file is read to its end. */
const STAGING = 'cloudtrail_staging';
/** Records sent to the staging table per statement: a file with more is staged, a smaller one kept in memory. */
const BATCH = 1000;
/**
 * Small files commit together, up to this many KMS records or files: a commit per file (a flush of
 * the write-ahead log each) was most of an import's time. A group that fails is committed again file
 * by file, so each file is still whole or not at all, and a failing one is named.
 */
const GROUP_RECORDS = 5000;
const GROUP_FILES = 200;

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
 * (docs/history-model.md#observed-accounts), one file at a time, each whole or not at all: its KMS
 * records wait in a temporary table on this session while the file streams (memory holds one batch,
 * whatever the file's size), then one short transaction appends them, every eventID once (so an import
 * run again, overlapping exports or a duplicate delivery add nothing, and an interrupted import resumes
 * by running again), and registers their accounts as observed. A file that fails leaves nothing behind.
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
  // Accounts this import has registered as observed (committed): their files skip the checks.
  const registered = new Set<string>();
  // Small files read whole, waiting to be committed together (GROUP_RECORDS: one commit for many files).
  let group: ReadFile[] = [];
  // The group being committed while the next files are read: the database works as the files stream.
  let committing: Promise<void> = Promise.resolve();
  const settle = (file: ReadFile, outcome: { added: number } | { error: Error }) => {
    if ('error' in outcome) {
      summary.files.failed++;
      summary.errors.push(
        outcome.error instanceof FileError ? outcome.error.message : `${file.path}: ${outcome.error.message}`,
      );
      return;
    }
    const kms = file.kms.length + file.stagedKms;
    summary.records += file.records;
    summary.kmsRecords += kms;
    summary.otherRecords += file.records - kms;
    summary.added += outcome.added;
    summary.duplicates += kms - outcome.added;
    for (const [scope, n] of file.scopes) summary.byScope.set(scope, (summary.byScope.get(scope) ?? 0) + n);
    summary.files.done++;
  };
  /** Commits the group: together, or, if that fails, file by file, so that the failing file is named. */
  const commitGroup = async (files: readonly ReadFile[]) => {
    const kms = files.flatMap((f) => f.kms);
    try {
      let added = await commitFile(db, accountsOf(files), registered, { columns: columnsOf(kms) });
      // The group's count of new records, given out in file order (only the totals are shown).
      for (const file of files) {
        const own = Math.min(added, file.kms.length);
        settle(file, { added: own });
        added -= own;
      }
    } catch (error) {
      if (!(error instanceof ServedAccountError)) throw error;
      for (const file of files) {
        const outcome = await commitFile(db, accountsOf([file]), registered, { columns: columnsOf(file.kms) })
          .then((added) => ({ added }))
          .catch((failure: Error) => {
            if (!(failure instanceof ServedAccountError)) throw failure;
            return { error: failure };
          });
        settle(file, outcome);
      }
    }
  };
  /**
   * Starts committing the group once the one before it is in (at most one group waits in memory
   * while another commits); `settled`: wait for it too, before the connection does anything else.
   */
  const flushGroup = async (settled: boolean) => {
    const files = group;
    group = [];
    await committing;
    if (files.length > 0) {
      committing = commitGroup(files);
      // Awaited before anything else uses the connection; a failure meanwhile is not unhandled.
      committing.catch(() => undefined);
    }
    if (settled) await committing;
  };
  try {
    await importEach();
  } finally {
    // Whatever ends the import, the connection goes back only once no commit runs on it.
    await committing.catch(() => undefined);
  }
  await flushGroup(true);
  return summary;

  async function importEach() {
    for (const file of files) {
      const read: ReadFile = { path: file.path, records: 0, kms: [], stagedKms: 0, scopes: new Map() };
      try {
        let bytes = 0;
        const counts = await readCloudTrailFile(
          file.path,
          async (record) => {
            read.kms.push(record);
            const scope = `${record.accountId} ${record.region}`;
            read.scopes.set(scope, (read.scopes.get(scope) ?? 0) + 1);
            if (read.kms.length >= BATCH) {
              // A file larger than a batch waits in the staging table, committed alone: memory holds a batch.
              if (read.stagedKms === 0) await flushGroup(true);
              await sql`INSERT INTO ${sql.table(STAGING)} ${columnsInsert(read.kms)}`.execute(db);
              read.stagedKms += read.kms.length;
              read.kms = [];
            }
          },
          (done) => {
            bytes += done;
            options.onProgress?.({ files: summary.files.done, bytes: bytesBefore + bytes, records: summary.records });
          },
        );
        read.records = counts.records;
        if (read.stagedKms > 0) {
          if (read.kms.length > 0) await sql`INSERT INTO ${sql.table(STAGING)} ${columnsInsert(read.kms)}`.execute(db);
          read.stagedKms += read.kms.length;
          read.kms = [];
          const added = await commitFile(db, accountsOf([read]), registered, { staging: STAGING });
          settle(read, { added });
        } else {
          group.push(read);
          // With --strict, a file at a time: the import stops at the first that fails, the ones before it in.
          const full = group.reduce((n, f) => n + f.kms.length, 0) >= GROUP_RECORDS || group.length >= GROUP_FILES;
          if (full || options.strict) await flushGroup(options.strict === true);
          // A file refused at its commit (its account is served) stops a strict import too.
          if (options.strict && summary.files.failed > 0) break;
        }
      } catch (error) {
        if (read.stagedKms > 0) await sql`TRUNCATE ${sql.table(STAGING)}`.execute(db);
        if (!(error instanceof FileError) && !(error instanceof ServedAccountError)) throw error;
        settle(read, { error });
        if (options.strict) break;
      }
      bytesBefore += file.bytes;
      options.onProgress?.({
        files: summary.files.done + summary.files.failed + group.length,
        bytes: bytesBefore,
        records: summary.records,
      });
    }
  }
}

/** A file read to its end: its KMS records in memory (or how many wait in the staging table). */
interface ReadFile {
  readonly path: string;
  records: number;
  kms: KmsRecord[];
  stagedKms: number;
  /** KMS records per account and Region (a count, not their ids: memory stays bounded in a huge file). */
  readonly scopes: Map<string, number>;
}

const accountsOf = (files: readonly ReadFile[]) =>
  new Set(files.flatMap((f) => [...f.scopes.keys()].map((scope) => scope.split(' ')[0]!)));

/** A batch of records as the columns appendImportedRecords and the staging table take. */
function columnsOf(records: readonly KmsRecord[]): RecordColumns {
  return {
    eventIds: records.map((r) => r.eventId),
    eventTimes: records.map((r) => r.eventTime.toISOString()),
    accountIds: records.map((r) => r.accountId),
    regions: records.map((r) => r.region),
    eventNames: records.map((r) => r.eventName),
    records: records.map((r) => r.text),
    tags: records.map((r) => r.change?.tags.join('\n') ?? ''),
    // jsonb holds no U+0000, which a caller may put in its user agent: dropped from the cause (the
    // record itself is kept as text, verbatim).
    causes: records.map((r) =>
      JSON.stringify(r.change?.cause ?? {}, (_, v: unknown) =>
        typeof v === 'string' ? v.replaceAll('\u0000', '') : v,
      ),
    ),
  };
}

/** `(columns) SELECT … FROM unnest(…)`: a batch into the staging table, in file order (its identity `ord`). */
function columnsInsert(records: readonly KmsRecord[]) {
  const c = columnsOf(records);
  return sql`(event_id, event_time, account_id, region, event_name, record, tags, cause)
    SELECT * FROM unnest(${c.eventIds}::uuid[], ${c.eventTimes}::timestamptz[], ${c.accountIds}::text[],
                         ${c.regions}::text[], ${c.eventNames}::text[], ${c.records}::text[], ${c.tags}::text[],
                         ${c.causes}::text[])`;
}

/**
 * Appends a file's records in one transaction (from the staging table, or straight from its columns
 * when it held no more than a batch), after registering its accounts as observed and checking that
 * the KMS API never wrote to any of them; an account this import registered already is not checked
 * again (observed, the KMS API refuses to write to it). Answers how many records were new.
 */
async function commitFile(
  db: Kysely<Database>,
  accounts: ReadonlySet<string>,
  registered: Set<string>,
  source: Parameters<typeof appendImportedRecords>[1],
): Promise<number> {
  const added = await db.transaction().execute(async (trx) => {
    for (const accountId of [...accounts].sort()) {
      if (registered.has(accountId)) continue;
      // One import at a time registers an account; the KMS API asks the registry before each write.
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`observed-account:${accountId}`}, 0))`.execute(trx);
      if (await servedByKmsApi(trx, accountId))
        throw new ServedAccountError(
          `account ${accountId} is served by the KMS API: an account is either served or observed, never both`,
        );
      await registerObserved(trx, accountId);
    }
    const appended = await appendImportedRecords(trx, source);
    if ('staging' in source) await sql`TRUNCATE ${sql.table(STAGING)}`.execute(trx);
    return appended;
  });
  for (const accountId of accounts) registered.add(accountId);
  return added;
}
