/** What an import did: the counts its summary prints. */
export interface ImportSummary {
  readonly files: { total: number; done: number; failed: number };
  /** Every record read from the files that were imported, of any service. */
  records: number;
  kmsRecords: number;
  /** Other services' records: counted and skipped. */
  otherRecords: number;
  /** KMS records new to the store. */
  added: number;
  /** KMS records it had already (imported before, in an overlapping file, or delivered twice). */
  duplicates: number;
  /** KMS records per "account Region". */
  readonly byScope: Map<string, number>;
  /** One line per file that failed, naming it (and the record). */
  readonly errors: string[];
}

export const emptySummary = (files: number): ImportSummary => ({
  files: { total: files, done: 0, failed: 0 },
  records: 0,
  kmsRecords: 0,
  otherRecords: 0,
  added: 0,
  duplicates: 0,
  byScope: new Map(),
  errors: [],
});

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The summary as printed at the end.
 *
 * @example
 * formatSummary(summary, 12.5)
 * // 'files: 3 imported, 0 failed of 3\nrecords: 1,000 (50 KMS, 950 other services skipped) in 12.5 s …'
 */
export function formatSummary(summary: ImportSummary, seconds: number): string {
  const rate = seconds > 0 ? Math.round(summary.records / seconds) : summary.records;
  const lines = [
    `files: ${count(summary.files.done)} imported, ${count(summary.files.failed)} failed of ${count(summary.files.total)}`,
    `records: ${count(summary.records)} (${count(summary.kmsRecords)} KMS, ${count(summary.otherRecords)} other services skipped) in ${seconds.toFixed(1)} s, ${count(rate)} records/s`,
    `KMS records: ${count(summary.added)} added, ${count(summary.duplicates)} already there (duplicates)`,
    ...[...summary.byScope].sort(([a], [b]) => (a < b ? -1 : 1)).map(([scope, n]) => `  ${scope}: ${count(n)}`),
    ...(summary.errors.length > 0
      ? [`errors (${summary.errors.length}):`, ...summary.errors.map((e) => `  ${e}`)]
      : []),
  ];
  return lines.join('\n');
}
