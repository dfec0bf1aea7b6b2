import { type Kysely, sql } from 'kysely';
import type { Database } from '../../database/database.types';
import type { Checkpoint } from '../../event-store/event.types';
import type { RebuildTarget } from './rebuild-target';
import { finishRun, recordBatch } from './rebuild-runs';
import { LIVE_SCHEMA, quoteIdent, swapSql } from './shadow-ddl';
import type { SequenceShape, TableShape } from './table-shape';

export interface SwapPlan {
  readonly rebuildId: string;
  readonly target: RebuildTarget;
  readonly schema: string;
  readonly live: readonly TableShape[];
  readonly shadowSequences: ReadonlyMap<string, readonly SequenceShape[]>;
  readonly batchSize: number;
  /**
   * How long the swap waits for a lock before it lets go and tries again. Below deadlock_timeout,
   * so that in a deadlock with a writer the swap gives up first, and short, because readers queue
   * behind a waiting ACCESS EXCLUSIVE request.
   */
  readonly lockTimeoutMs: number;
  readonly attempts: number;
  readonly signal?: AbortSignal;
}

const LOCK_NOT_AVAILABLE = '55P03';
const DEADLOCK_DETECTED = '40P01';

/**
 * Swaps the shadow in, in one transaction: freeze the live model (target.freeze), bring the
 * shadow to where the live model is, take the live tables IN ACCESS EXCLUSIVE MODE (readers wait
 * from here to commit only: a few catalog changes), drop them, move the shadows to public, hand
 * the live model the shadow's checkpoint, record the rebuild as done, commit. A reader that waited
 * then opens the new tables by name. On a lock timeout or deadlock the whole attempt rolls back
 * and is tried again after a short random pause; the live tables were never touched.
 */
export async function swapIn(
  conn: Kysely<Database>,
  plan: SwapPlan,
  from: { at: Checkpoint; done: number },
): Promise<{ at: Checkpoint; done: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await conn.transaction().execute(async (trx) => {
        await sql`
          SELECT set_config('search_path', ${`${quoteIdent(plan.schema)}, ${LIVE_SCHEMA}`}, true),
                 set_config('lock_timeout', greatest(1, least(${plan.lockTimeoutMs}::int,
                   (extract(epoch FROM current_setting('deadlock_timeout')::interval) * 500)::int))::text || 'ms', true)`.execute(
          trx,
        );
        await plan.target.freeze(trx);
        let { at, done } = from;
        for (;;) {
          const batch = await plan.target.replay(trx, at, plan.batchSize, true);
          if (!batch) break;
          ({ at, done } = { at: batch.last, done: done + batch.events });
          if (batch.events < plan.batchSize) break;
        }
        const tables = plan.live.map((t) => `${quoteIdent(LIVE_SCHEMA)}.${quoteIdent(t.name)}`).join(', ');
        await sql.raw(`LOCK TABLE ${tables} IN ACCESS EXCLUSIVE MODE`).execute(trx);
        for (const statement of swapSql(plan.schema, plan.live, plan.shadowSequences))
          await sql.raw(statement).execute(trx);
        await plan.target.adopt(trx, at, done);
        await recordBatch(trx, plan.rebuildId, 'swapped', at, done);
        await finishRun(trx, plan.rebuildId, 'done');
        return { at, done };
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      const retry = (code === LOCK_NOT_AVAILABLE || code === DEADLOCK_DETECTED) && !plan.signal?.aborted;
      if (!retry || attempt >= plan.attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30 * Math.min(attempt, 10)));
    }
  }
}
