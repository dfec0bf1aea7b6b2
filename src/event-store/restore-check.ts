import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';

export class RestoredIntoYoungerClusterError extends Error {
  override readonly name = 'RestoredIntoYoungerClusterError';
}

/**
 * Refuses to run on events stamped with transaction ids the server has not reached yet. That happens
 * after a logical restore (pg_dump/pg_restore) into a younger cluster: readers would treat the whole
 * history as still in flight and new events would sort before it.
 */
export async function assertTransactionIdsBehindServer(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ newest: string | null; next: string }>`
    SELECT (SELECT transaction_id FROM events ORDER BY transaction_id DESC LIMIT 1)::text AS newest,
           pg_snapshot_xmax(pg_current_snapshot())::text AS next`.execute(db);
  const newest = rows[0]?.newest;
  const next = rows[0]?.next;
  if (newest == null || next == null || BigInt(newest) < BigInt(next)) return;
  const target = BigInt(newest) + 1n;
  throw new RestoredIntoYoungerClusterError(
    `The events table holds transaction id ${newest}, but this PostgreSQL server has only reached ${next}. ` +
      'This happens after a logical restore (pg_dump/pg_restore) into a younger cluster: event readers would ' +
      'treat the history as uncommitted and new events would sort before it. Fix: restore physically ' +
      '(pg_basebackup, or a file-system copy with its WAL), or stop the server and advance its transaction ' +
      `counter past the stored ids with \`pg_resetwal -e ${target >> 32n} -x ${target & 0xffffffffn} <data dir>\`` +
      ' (see README, "Backup and restore"), then start aliastrail again.',
  );
}
