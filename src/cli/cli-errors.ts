/**
 * What the CLI prints for an error that ended a command. A problem the user can act on (a refused
 * command, a database that does not answer, a file that cannot be read) is its message alone: a
 * stack trace would bury the one line that says what to do. Anything else is a bug: its message
 * and where to get the trace (ALIASTRAIL_DEBUG=1), so a report can carry it.
 */
export function cliErrorText(
  error: unknown,
  plainTypes: readonly (abstract new (...args: never[]) => Error)[],
  debug: boolean,
): string {
  if (!(error instanceof Error)) return `aliastrail: ${String(error)}`;
  if (debug) return error.stack ?? error.message;
  if (plainTypes.some((type) => error instanceof type)) return error.message;
  const operational = operationalText(error);
  if (operational) return operational;
  return `aliastrail: ${error.message} (an unexpected error: run again with ALIASTRAIL_DEBUG=1 for its stack trace)`;
}

/** Errors from outside the program (the network, the database, the file system), said plainly. */
function operationalText(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return undefined;
  // Node's system errors (ECONNREFUSED, ENOENT, EACCES…) and PostgreSQL's SQLSTATE codes (5 characters).
  // Node's connect to "localhost" tries each address and throws an AggregateError with no message.
  const message = error.message || (error as { errors?: Error[] }).errors?.[0]?.message || code;
  if (/^E[A-Z]+$/.test(code)) return `aliastrail: ${message}`;
  if (/^[0-9A-Z]{5}$/.test(code)) return `aliastrail: the database refused: ${error.message} (SQLSTATE ${code})`;
  return undefined;
}
