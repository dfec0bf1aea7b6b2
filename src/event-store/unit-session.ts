import type { PoolClient, QueryResult, QueryResultRow } from 'pg';

/* The unit batcher's dealings with its pg session: multi-statement results, the error that says
 * an event id is stored already, and ending a failed transaction. */

/** The result of the last statement of a multi-statement query (BEGIN's comes first). */
export function lastResult<Row extends QueryResultRow>(
  result: QueryResult<Row> | QueryResult<Row>[],
): QueryResult<Row> {
  return Array.isArray(result) ? result[result.length - 1]! : result;
}

/** The append's rows from "[BEGIN;] SELECT events_append(…); …; COMMIT": the statement after `before` others. */
export function appendedRows<Row extends QueryResultRow>(
  result: QueryResult<Row> | QueryResult<Row>[],
  before = 0,
): Row[] {
  return (Array.isArray(result) ? result[before]! : result).rows;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}

/** Ends a failed transaction; returns the error to destroy the connection with when even ROLLBACK failed. */
export async function rollback(client: PoolClient, cause: Error): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch {
    return cause;
  }
}
