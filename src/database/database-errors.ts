/**
 * Errors that say the database could not be reached, was busy or did not answer in time, as opposed
 * to an answer it gave about the request (a constraint, a bad value). The former are worth retrying
 * once the database is back, so the APIs answer them with a retryable 503 and the audit recorder
 * holds its records; the latter are final.
 */
const UNAVAILABLE_CLASSES = new Set([
  '08', // connection exception
  '40', // transaction rollback: serialization failure, deadlock; a retry can pass
  '53', // insufficient resources: too many connections, out of memory or disk
  '57', // operator intervention: terminated session, shutdown, statement_timeout (57014)
  '58', // system error (an I/O error)
]);
const UNAVAILABLE_CODES = new Set([
  '25P03', // idle_in_transaction_session_timeout: our session was ended while it waited
  '55P03', // lock_not_available: lock_timeout
  '55006', // object_in_use
]);

/** Node's codes for a socket that could not be opened or was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Messages node-postgres (and DeadlineClient) give to connection failures that carry no code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'Query read timeout',
  'the database did not answer within',
  'another connection to the database went unanswered',
];

/**
 * Of those, the errors that leave a transaction's outcome unknown: the connection went away, so a
 * COMMIT may have been sent and carried out without its answer arriving. The others (a statement
 * or lock timeout, a deadlock, a serialization failure) are the server's own answer: it rolled the
 * transaction back, and the work can be tried again.
 */
export function isConnectionLost(error: unknown): boolean {
  if (!isDatabaseUnavailable(error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true; // a socket's code, or none
  return code.startsWith('08') || code.startsWith('57P') || code === '25P03';
}

/**
 * @example isDatabaseUnavailable({ code: '57P01' }) // true: the session was terminated
 * @example isDatabaseUnavailable({ code: '23505' }) // false: a unique violation is an answer
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_CLASSES.has(code.slice(0, 2));
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.includes(text));
}
