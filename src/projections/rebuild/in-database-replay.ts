import { type Transaction, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../../event-store/event.types';
import type { ReplayedBatch } from './rebuild-target';

/**
 * One batch of a replay that runs inside PostgreSQL (kms_current_replay, kms_grants_replay): the
 * function applies up to `limit` events after `after` with the live trigger's own apply function,
 * and says how many it read and where it stopped; undefined when there was nothing left. Frozen (the
 * live tables locked against writers), it reads every committed event, not only the barrier-safe ones.
 */
export async function replayInDatabase(
  trx: Transaction<Database>,
  replayFunction: 'kms_current_replay' | 'kms_grants_replay',
  after: Checkpoint,
  limit: number,
  frozen: boolean,
): Promise<ReplayedBatch | undefined> {
  const { rows } = await sql<{ events_read: number; last_tx: string; last_pos: string }>`
    SELECT events_read, last_tx::text AS last_tx, last_pos::text AS last_pos
      FROM ${sql.raw(replayFunction)}(${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint,
                                      ${limit}::int, ${!frozen})`.execute(trx);
  const row = rows[0]!;
  if (row.events_read === 0) return undefined;
  return { events: row.events_read, last: { transactionId: BigInt(row.last_tx), position: BigInt(row.last_pos) } };
}
