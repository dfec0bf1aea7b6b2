import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';

/**
 * Call as the FIRST statement of a REPEATABLE READ (or SERIALIZABLE) transaction that reads a
 * projection's tables: it takes them IN ACCESS SHARE MODE before the transaction's snapshot exists
 * (LOCK TABLE takes none). Without it, a snapshot taken just before a rebuild's swap commits could
 * meet the swapped-in tables afterwards, and see them as of that older snapshot: without the rows
 * the swap itself wrote, or, for a snapshot older than the shadow, empty. With it, the lock waits
 * for a swap in progress, and the snapshot that follows sees the swapped tables whole; a swap that
 * comes later waits for this transaction instead, which goes on reading the tables it locked.
 * READ COMMITTED statements need nothing: each takes its snapshot after its locks.
 *
 * @example
 * db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
 *   await lockProjectionForRead(trx, TEMPORAL_TABLES);
 *   …
 * });
 */
export async function lockProjectionForRead(trx: Transaction<Database>, tables: readonly string[]): Promise<void> {
  await sql`LOCK TABLE ${sql.join(tables.map((table) => sql.id(table)))} IN ACCESS SHARE MODE`.execute(trx);
}
