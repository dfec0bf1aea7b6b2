import { EventIdConflictError } from '../event-store/unit-batcher';

/**
 * What a failed audit write says about what to do next:
 * - `unavailable`: the database is away or busy (a connection lost or refused, a timeout, a
 *   shutdown, a serialization failure). The records are fine: hold them and retry later.
 * - `refused`: the database, up and answering, refused the data (SQLSTATE class 22 data exception,
 *   23 integrity constraint, 54 program limit), or the records cannot even be sent. Retrying the
 *   same records can never succeed: split the batch and set the bad record aside.
 * - `unknown`: any other error from a database that answered (say, permission denied). Split, so
 *   good records are written, but hold rather than set aside what still fails: it may pass later.
 */
export type WriteFailure = 'unavailable' | 'refused' | 'unknown';

/** SQLSTATE classes and codes that mean "try again later", not "this data is bad". */
const UNAVAILABLE_CLASSES = new Set(['08', '40', '53', '57', '58']);
const UNAVAILABLE_CODES = new Set(['25P03', '55P03', '55006']);
const REFUSED_CLASSES = new Set(['22', '23', '54']);
/** Node's codes for a socket that could not be opened or was lost. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** pg's own errors carry no code: a dropped connection, a pool or query timeout. */
const UNAVAILABLE_MESSAGE = /timeout|timed out|terminated|connection|not queryable|ended|closed|shutting down/i;

/**
 * Classifies an error from appending audit records.
 *
 * @example writeFailureOf({ code: '22P02' }) // 'refused' (invalid input syntax for type json)
 */
export function writeFailureOf(error: unknown): WriteFailure {
  if (error instanceof EventIdConflictError) return 'refused';
  // JSON.stringify's own refusals (a BigInt, a cycle): these records can never be sent.
  if (error instanceof TypeError || error instanceof RangeError) return 'refused';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return 'unavailable';
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (UNAVAILABLE_CLASSES.has(code.slice(0, 2)) || UNAVAILABLE_CODES.has(code)) return 'unavailable';
    return REFUSED_CLASSES.has(code.slice(0, 2)) ? 'refused' : 'unknown';
  }
  const message = error instanceof Error ? error.message : String(error);
  return UNAVAILABLE_MESSAGE.test(message) ? 'unavailable' : 'unknown';
}
