import type { KmsRequest } from '../kms/kms-request';
import { lowerCamel } from './cloudtrail-format';
import { READ_ONLY_OPERATIONS } from './kms-call-recorded';
import { logExcerpt } from './log-excerpt';

/* Pieces of an audit record and of the recorder's log lines, kept apart from its buffering. */

/** `text` cut to `max` characters (whole code points), saying so at its end. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = [...text.slice(0, max)].slice(0, -1).join('');
  return `${kept}… (${text.length - kept.length} more characters not recorded)`;
}

export const isTimeCapViolation = (error: unknown) =>
  (error as { constraint?: unknown }).constraint === 'events_time_cap';

/** An error for a log line: its SQLSTATE or code and a short, printable message. */
export function errorText(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `${typeof code === 'string' ? `${logExcerpt(code, 16)} ` : ''}${logExcerpt(message, 200)}`;
}

/**
 * responseElements of a successful call that changed nothing: null for reads
 * (docs/kms-behaviour.md#cloudtrail-records). A grant token is secret: a CreateGrant that Name
 * idempotency answered shows its grant id only.
 */
export function responseElementsOf(
  request: KmsRequest,
  output: Record<string, unknown> | undefined,
): Record<string, unknown> | null {
  if (READ_ONLY_OPERATIONS.has(request.operation) || output === undefined) return null;
  const { GrantToken: _secret, ...shown } = output;
  return lowerCamel(shown) as Record<string, unknown>;
}
