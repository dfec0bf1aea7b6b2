import { MigrationError, checksumOf } from './migration-plan';

/** A file of db/functions: CREATE OR REPLACE statements for the functions, triggers and views of one model. */
export interface FunctionFile {
  readonly fileName: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface AppliedFunctionFile {
  readonly fileName: string;
  readonly checksum: string;
}

const FILE_NAME = /^[a-z0-9_]+\.sql$/;

/** Turns `kms_current.sql` and its text into a function file, or rejects a badly named file. */
export function toFunctionFile(fileName: string, sql: string): FunctionFile {
  if (!FILE_NAME.test(fileName)) {
    throw new MigrationError(`${fileName}: function files are named snake_case_name.sql`);
  }
  return { fileName, sql, checksum: checksumOf(sql) };
}

/**
 * Decides which function files to apply again, in name order: those never applied and those whose
 * text changed since. Unlike a migration, a function file may be edited: it holds the live body,
 * written so that applying it again replaces what the database has (CREATE OR REPLACE). A file
 * removed from disk is not an error; what it created stays until a migration drops it.
 */
export function planFunctions(files: readonly FunctionFile[], applied: readonly AppliedFunctionFile[]): FunctionFile[] {
  const recorded = new Map(applied.map((record) => [record.fileName, record.checksum]));
  return [...files]
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0))
    .filter((file) => recorded.get(file.fileName) !== file.checksum);
}
