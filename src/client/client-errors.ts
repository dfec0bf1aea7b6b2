/**
 * A mistake in how the command was called (an unknown option, a missing path, a --body that is not
 * JSON): reported in one line with a pointer to --help, exit status 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Something outside the command went wrong (the service is not reachable, no credentials were found):
 * reported in one line, exit status 1. Its message says what to do, so no stack trace is printed.
 */
export class OperationalError extends Error {
  override readonly name = 'OperationalError';
}
