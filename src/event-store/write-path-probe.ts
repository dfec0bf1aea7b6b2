import { type Kysely, sql } from 'kysely';
import type { Database } from '../database/database.types';

/**
 * Whether an insert into `events` could take its lock right now: ROW EXCLUSIVE, which INSERT takes,
 * asked for with NOWAIT so the probe never queues behind anything. It fails when a session holds a
 * lock that blocks writes (SHARE and stronger, such as `LOCK TABLE events IN SHARE ROW EXCLUSIVE
 * MODE`) or waits for one ahead of us; the transaction ends without writing.
 */
export async function eventsWritable(db: Kysely<Database>): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE events IN ROW EXCLUSIVE MODE NOWAIT`.execute(trx);
    });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return false; // lock_not_available
    throw error;
  }
}
