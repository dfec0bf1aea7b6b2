import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { formatCheckpoint } from '../event-store/checkpoint';
import type { Scope } from '../kms/domain/identifiers';
import { type AuditEventView, recordText } from '../projections/audit/audit-event-view';
import type { AuditEventsReader } from '../projections/audit/audit-events.reader';

const gzipped = promisify(gzip);
/** CloudTrail delivers a trail's records about every five minutes, a file per account and Region. */
const WINDOW_MS = 5 * 60 * 1000;
/** Records read per page. */
const PAGE = 1000;

export interface ExportSummary {
  /** The audit projection's log position the export reflects. */
  readonly position: string;
  files: number;
  records: number;
  readonly scopes: Scope[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Where CloudTrail would deliver the file of a window: AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
 * <account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<unique>.json.gz, the unique part taken from the
 * records' ids, so that exporting the same trail again writes the same files.
 */
export function logFilePath(scope: Scope, windowStart: Date, eventIds: readonly string[]): string {
  const d = windowStart;
  const [y, m, day] = [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())];
  const stamp = `${y}${m}${day}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
  const unique = createHash('sha256').update(eventIds.join('\n')).digest('hex').slice(0, 16);
  return path.join(
    'AWSLogs',
    scope.accountId,
    'CloudTrail',
    scope.region,
    String(y),
    m,
    day,
    `${scope.accountId}_CloudTrail_${scope.region}_${stamp}_${unique}.json.gz`,
  );
}

/**
 * Writes the audit trail (of one account, or of all) under `directory` as CloudTrail delivers a
 * trail to S3: gzipped `{"Records": […]}` files, one per account, Region and five minutes of event
 * time, each record exactly as LookupEvents gives it (an imported one byte for byte). Reads one
 * snapshot of the audit projection, a page at a time; memory holds one window's records.
 */
export async function exportCloudTrail(
  reader: AuditEventsReader,
  directory: string,
  options: { accountId?: string; onFile?: (file: string, records: number) => void } = {},
): Promise<ExportSummary> {
  return reader.snapshot(async (snapshot, position) => {
    const scopes = await snapshot.scopes(options.accountId);
    const summary: ExportSummary = { position: formatCheckpoint(position), files: 0, records: 0, scopes };
    for (const scope of scopes) {
      let window: { start: number; records: AuditEventView[] } | undefined;
      const flush = async () => {
        if (!window || window.records.length === 0) return;
        const file = path.join(
          directory,
          logFilePath(
            scope,
            new Date(window.start),
            window.records.map((r) => r.eventId),
          ),
        );
        const body = `{"Records":[${window.records.map(recordText).join(',')}]}`;
        await fs.mkdir(path.dirname(file), { recursive: true });
        await fs.writeFile(file, await gzipped(body));
        summary.files++;
        summary.records += window.records.length;
        options.onFile?.(file, window.records.length);
      };
      let after: { eventTime: Date; seq: bigint } | undefined;
      for (;;) {
        const page = await snapshot.search(scope, { order: 'oldest', limit: PAGE, after });
        for (const view of page) {
          const start = Math.floor(view.eventTime.getTime() / WINDOW_MS) * WINDOW_MS;
          if (window?.start !== start) {
            await flush();
            window = { start, records: [] };
          }
          window.records.push(view);
        }
        if (page.length < PAGE) break;
        const last = page[page.length - 1]!;
        after = { eventTime: last.eventTime, seq: last.seq };
      }
      await flush();
    }
    return summary;
  });
}
