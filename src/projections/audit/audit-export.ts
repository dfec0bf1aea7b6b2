import { type AuditEventView, recordText } from './audit-event-view';

/** Columns of the CSV export; the last one holds the whole CloudTrail record as JSON. */
export const CSV_COLUMNS = [
  'eventTime',
  'eventId',
  'eventName',
  'readOnly',
  'username',
  'accessKeyId',
  'sourceIPAddress',
  'errorCode',
  'errorMessage',
  'resources',
  'requestID',
  'cloudTrailEvent',
] as const;

/** RFC 4180 quoting, and a leading quote on values a spreadsheet would run as formulas. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = () => `${CSV_COLUMNS.join(',')}\r\n`;

export function csvLine(view: AuditEventView): string {
  const record = view.record;
  return (
    [
      view.eventTime.toISOString(),
      view.eventId,
      view.eventName,
      view.readOnly,
      view.username,
      view.accessKeyId,
      view.sourceIp,
      view.errorCode,
      record.errorMessage,
      view.resources.map((r) => r.ARN).join(' '),
      record.requestID,
      recordText(view),
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}

/** One CloudTrail record per line. */
export const jsonLine = (view: AuditEventView) => `${recordText(view)}\n`;
