import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/database/database.types';
import { START } from '../../src/event-store/checkpoint';
import type { EventStore } from '../../src/event-store/event-store';
import type { Checkpoint, StoredEvent } from '../../src/event-store/event.types';
import { sleep } from './events';

/*
 * The snapshot barrier is the whole server's: a transaction open in another database (another
 * test file, a benchmark) holds back what readAll and head() return here too. So "caught up" and
 * "the whole log" are judged against every committed event, not against head().
 */

/** Every committed event in log order, once the barrier has let all of them through. */
export async function wholeLog(store: EventStore, db: Kysely<Database>): Promise<StoredEvent[]> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(db);
    const all: StoredEvent[] = [];
    for (let after: Checkpoint = START; ;) {
      const batch = await store.readAll({ after, limit: 5000 });
      if (batch.length === 0) break;
      all.push(...batch);
      after = batch[batch.length - 1]!;
    }
    if (all.length >= rows[0]!.n) return all;
    await sleep(20);
  }
  throw new Error('the snapshot barrier never let the whole log through');
}

/** Waits until each named runner projection has applied every committed event. */
export async function waitForProjections(db: Kysely<Database>, names: readonly string[]): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { rows } = await sql<{ behind: number; failure: string | null }>`
      SELECT count(*) FILTER (WHERE (c.transaction_id, c.position) < (e.transaction_id, e.position))::int AS behind,
             max(c.failure) AS failure
        FROM projection_checkpoints c,
             (SELECT transaction_id, position FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1) e
       WHERE c.name = ANY(${[...names]}::text[])`.execute(db);
    if (rows[0]?.failure) throw new Error(`a projection failed: ${rows[0].failure}`);
    if (rows[0]?.behind === 0) return;
    await sleep(20);
  }
  throw new Error(`${names.join(', ')} did not catch up`);
}
