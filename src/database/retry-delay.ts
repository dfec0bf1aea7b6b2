import { isDatabaseUnavailable } from './database-errors';

/**
 * The longest a background loop waits between retries while the database is unreachable: when it
 * comes back, projections, the ledger and the LISTEN connection go on within about this.
 */
export const UNAVAILABLE_MAX_BACKOFF_MS = 1000;

/**
 * Exponential backoff from the poll interval after `failures` failures in a row. A failure of the
 * database's reach costs little to retry, so it is capped low; any other failure (a bug, an event a
 * projection refuses) backs off up to `maxBackoffMs`, so that it does not spin.
 */
export function retryDelayMs(failures: number, pollIntervalMs: number, maxBackoffMs: number, error: unknown): number {
  const cap = isDatabaseUnavailable(error) ? Math.min(maxBackoffMs, UNAVAILABLE_MAX_BACKOFF_MS) : maxBackoffMs;
  return Math.min(cap, pollIntervalMs * 2 ** Math.max(0, failures - 1));
}
