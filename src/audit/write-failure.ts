import { isDatabaseUnavailable } from '../database/database-errors';
import { EventIdConflictError } from '../event-store/event-id-conflict';

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

/** SQLSTATE classes of data the database will never take: data exception, integrity, program limit. */
const REFUSED_CLASSES = new Set(['22', '23', '54']);

/**
 * Classifies an error from appending audit records.
 *
 * @example writeFailureOf({ code: '22P02' }) // 'refused' (invalid input syntax for type json)
 */
export function writeFailureOf(error: unknown): WriteFailure {
  if (error instanceof EventIdConflictError) return 'refused';
  // JSON.stringify's own refusals (a BigInt, a cycle): these records can never be sent.
  if (error instanceof TypeError || error instanceof RangeError) return 'refused';
  if (isDatabaseUnavailable(error)) return 'unavailable';
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && REFUSED_CLASSES.has(code.slice(0, 2)) ? 'refused' : 'unknown';
}
