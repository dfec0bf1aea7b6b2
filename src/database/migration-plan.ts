import { createHash } from 'node:crypto';

export interface MigrationFile {
  readonly version: string;
  readonly name: string;
  readonly fileName: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface AppliedMigration {
  readonly version: string;
  readonly name: string;
  readonly checksum: string;
}

/** Stops start-up: the migrations on disk and those recorded in the database disagree. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const FILE_NAME = /^(\d{4,})_([a-z0-9_]+)\.sql$/;

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Turns `0001_event_store.sql` and its text into a migration, or rejects a badly named file. */
export function toMigrationFile(fileName: string, sql: string): MigrationFile {
  const match = FILE_NAME.exec(fileName);
  if (!match) {
    throw new MigrationError(`${fileName}: migration files are named NNNN_snake_case_name.sql`);
  }
  return { version: match[1]!, name: match[2]!, fileName, sql, checksum: checksumOf(sql) };
}

/**
 * Decides which files to apply, in version order. Forward-only: an applied file must still exist with
 * the same checksum, because editing history would leave databases that ran the old text diverged.
 */
export function planMigrations(files: readonly MigrationFile[], applied: readonly AppliedMigration[]): MigrationFile[] {
  const sorted = [...files].sort((a, b) => compareVersions(a.version, b.version));
  for (let i = 1; i < sorted.length; i++) {
    if (compareVersions(sorted[i - 1]!.version, sorted[i]!.version) === 0) {
      throw new MigrationError(
        `${sorted[i - 1]!.fileName} and ${sorted[i]!.fileName} share version ${sorted[i]!.version}`,
      );
    }
  }
  const byVersion = new Map(sorted.map((file) => [file.version, file]));
  for (const record of applied) {
    const file = byVersion.get(record.version);
    if (!file) {
      throw new MigrationError(
        `migration ${record.version}_${record.name} is recorded as applied but its file is missing from db/migrations; ` +
          'migrations are forward-only, so restore the file',
      );
    }
    if (file.checksum !== record.checksum) {
      throw new MigrationError(
        `${file.fileName} was edited after it was applied (recorded sha256 ${record.checksum.slice(0, 12)}…, ` +
          `file now ${file.checksum.slice(0, 12)}…). Applied migrations must not change: revert the edit and put ` +
          'the change in a new migration file',
      );
    }
  }
  const appliedVersions = new Set(applied.map((record) => record.version));
  const newest = applied.reduce<string | undefined>(
    (max, record) => (max === undefined || compareVersions(record.version, max) > 0 ? record.version : max),
    undefined,
  );
  const pending = sorted.filter((file) => !appliedVersions.has(file.version));
  const late = pending.find((file) => newest !== undefined && compareVersions(file.version, newest) < 0);
  if (late) {
    throw new MigrationError(
      `${late.fileName} is older than the newest applied migration (${newest}); number new migrations after it`,
    );
  }
  return pending;
}

function compareVersions(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
