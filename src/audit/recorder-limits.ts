/** The audit recorder's batching, back-pressure, retry and stop limits (audit-recorder.ts). */

/** Calls buffered before a flush starts at once rather than on the timer. */
export const FLUSH_SIZE = 500;
/**
 * How long a record waits for others to share its write. Each write wakes every reader of the log
 * (both projections, the ledger, the live tail) for a transaction of its own: at 1,000 calls/s,
 * 50 ms instead of 10 took about a fifth off the database's CPU per call (npm run bench).
 */
export const FLUSH_DELAY_MS = 50;
/** Beyond this many unwritten records a caller waits for the flush: back-pressure, not loss. */
export const WAIT_ABOVE = 5_000;
/**
 * While the database refuses writes, at most this many records wait; older ones are dropped and
 * counted. A record is at most about 16 KiB (parameters over 8 KiB are omitted, error messages and
 * user agents cut at 1 KiB), so what waits stays within about 320 MiB even if every call is hostile.
 */
export const HELD_MAX = 20_000;
/** An error message may repeat what the client sent (a 1 MiB alias name): the record keeps this much. */
export const ERROR_MESSAGE_MAX = 1024;
/** Retries of held records: every first delay while the database is unavailable; else doubling up to the last. */
export const RETRY_FIRST_MS = 1_000;
export const RETRY_LAST_MS = 30_000;
/** How long a graceful stop waits for unwritten records to be written. */
export const STOP_WAIT_MS = 5_000;
