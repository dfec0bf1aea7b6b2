import { randomUUID } from 'node:crypto';
import { createKysely, createPool } from '../../src/database/create-database';
import { AppendNotifier } from '../../src/event-store/append-notifier';
import { EventStore } from '../../src/event-store/event-store';
import type { BenchDatabase } from './bench-database';
import { type Measurement, measure } from './measure';

export interface AppendRow {
  readonly writers: number;
  readonly baseline: Measurement;
  readonly eventStore: Measurement;
  readonly ratio: number;
}

const WRITER_COUNTS = [1, 16, 64];
/** Each pair is measured this many times, alternating; the row keeps the pair with the median ratio. */
const ROUNDS = 3;

/**
 * Single-event units of work through the event store (tag lock, history read, insert, commit, then
 * NOTIFY), against the ceiling for a durable write on the same database: one plain single-row INSERT
 * per transaction into a table of the same shape (same columns, defaults and indexes).
 */
export async function benchAppend(database: BenchDatabase, seconds: number): Promise<AppendRow[]> {
  const pool = createPool(database.url, { max: 70, idleTransactionTimeoutMs: 60_000 });
  const db = createKysely(pool);
  await pool.query('CREATE TABLE bench_baseline (LIKE events INCLUDING ALL)');
  const notifier = new AppendNotifier(pool);
  const store = new EventStore(pool, db, { afterCommit: () => notifier.notify() });
  const payload = { aliasName: 'alias/bench', targetKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' };
  const metadata = { requestId: 'bench', sourceIPAddress: '127.0.0.1' };

  const baseline = () => {
    const tag = `alias:bench:${randomUUID()}`;
    return pool.query(
      `INSERT INTO bench_baseline (event_id, type, tags, data, metadata, occurred_at) VALUES ($1, 'BenchAppended', $2, $3, $4, now())`,
      [randomUUID(), [tag], JSON.stringify(payload), JSON.stringify(metadata)],
    );
  };
  const unitOfWork = () => {
    const tag = `alias:bench:${randomUUID()}`;
    return store.withConsistency([tag], async () => [
      { eventId: randomUUID(), type: 'BenchAppended', tags: [tag], data: payload, metadata, occurredAt: new Date() },
    ]);
  };

  const rows: AppendRow[] = [];
  try {
    for (const writers of WRITER_COUNTS) {
      const rounds: AppendRow[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Back to back, so both sides see the same machine load.
        const base = await measure(writers, seconds, baseline);
        const ours = await measure(writers, seconds, unitOfWork);
        rounds.push({ writers, baseline: base, eventStore: ours, ratio: ours.perSecond / base.perSecond });
      }
      rows.push(rounds.sort((a, b) => a.ratio - b.ratio)[Math.floor(ROUNDS / 2)]!);
    }
  } finally {
    await notifier.drain();
    await db.destroy();
  }
  return rows;
}
