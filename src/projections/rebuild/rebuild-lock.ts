import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database/database.types';

/** Another rebuild of the projection runs, in this process or another. */
export class RebuildInProgress extends Error {
  override readonly name = 'RebuildInProgress';

  constructor(readonly projection: string) {
    super(`a rebuild of ${projection} is already running`);
  }
}

const keyOf = (projection: string) => sql`hashtextextended(${`aliastrail:rebuild:${projection}`}, 0)`;

/**
 * Runs `work` on one connection of `db` that holds the projection's rebuild lock, a session
 * advisory lock: one rebuild per projection at a time across every instance and the CLI. The
 * session holds it, not a transaction, because a rebuild is many transactions; if the process dies,
 * its connection closes and the lock goes with it. Throws RebuildInProgress when it is taken.
 */
export async function withRebuildLock<T>(
  db: Kysely<Database>,
  projection: string,
  work: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`SELECT pg_try_advisory_lock(${keyOf(projection)}) AS locked`.execute(conn);
    if (!rows[0]?.locked) throw new RebuildInProgress(projection);
    // A rebuild's loads run for as long as the log is long (17 s for 1M events): the service's
    // statement timeout, and the client's deadline that follows it (DeadlineClient), are for requests.
    await sql`SET statement_timeout = 0`.execute(conn);
    try {
      return await work(conn);
    } finally {
      await sql`RESET statement_timeout`.execute(conn).catch(() => undefined);
      // A failure here leaves a broken connection, whose session (and lock) the server ends.
      await sql`SELECT pg_advisory_unlock(${keyOf(projection)})`.execute(conn).catch(() => undefined);
    }
  });
}
