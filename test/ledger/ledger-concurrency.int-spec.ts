import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { anEvent, eventually } from '../support/events';
import { type LedgerFixture, ledgerFixture } from './ledger-fixture';

/**
 * Three sequencers (three service instances) chain while sixteen writers append, some of their
 * transactions rolled back (positions burnt) and units of several events committed together.
 * The ledger must come out gapless, with each committed event exactly once, in the log's
 * (transaction_id, position) order, and verify must pass.
 */
describe('the ledger under concurrent writers and sequencers', () => {
  let f: LedgerFixture;

  beforeAll(async () => {
    f = await ledgerFixture({ digestEvery: 25 });
  });
  afterAll(() => f.drop());

  it('is gapless, holds every event once, in log order, and verifies', async () => {
    const sequencers = [1, 2, 3].map(() => f.sequencer({ batchSize: 7, pollIntervalMs: 5, minIntervalMs: 0 }));
    sequencers.forEach((sequencer) => sequencer.start());
    const writers = Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; i < 30; i++) {
        if (i % 7 === 3) {
          // a transaction that appends, then rolls back: its positions are burnt
          await f.database.db
            .transaction()
            .execute(async (trx) => {
              await sql`INSERT INTO events (event_id, type, data, occurred_at) VALUES (${randomUUID()}, 'RolledBack', '{}', now())`.execute(
                trx,
              );
              throw new Error('roll back');
            })
            .catch(() => undefined);
          continue;
        }
        const size = 1 + ((w + i) % 3);
        await f.store.append(Array.from({ length: size }, (_, k) => anEvent({ data: { w, i, k }, tags: [`w:${w}`] })));
      }
    });
    await Promise.all(writers);
    const events = Number(
      (await sql<{ n: string }>`SELECT count(*)::text AS n FROM events`.execute(f.database.db)).rows[0]!.n,
    );
    expect(
      await eventually(
        async () => {
          const { rows } = await sql<{ n: string }>`SELECT ledger_seq::text AS n FROM ledger_state`.execute(
            f.database.db,
          );
          return Number(rows[0]!.n) === events;
        },
        60_000,
        50,
      ),
    ).toBe(true);
    await Promise.all(sequencers.map((sequencer) => sequencer.stop()));
    expect(sequencers.every((s) => s.status.lastError === undefined)).toBe(true);
    // All three took part (SKIP LOCKED lets whichever is free take the next batch).
    expect(sequencers.filter((s) => s.status.delivered > 0).length).toBeGreaterThan(1);

    const { rows } = await sql<{
      entries: string;
      first: string;
      last: string;
      positions: string;
      missing: string;
      out_of_order: string;
    }>`
      SELECT count(*)::text AS entries, min(ledger_seq)::text AS first, max(ledger_seq)::text AS last,
             count(DISTINCT position)::text AS positions,
             (SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.position = e.position))::text AS missing,
             (SELECT count(*) FROM (SELECT (transaction_id, position) > lag((transaction_id, position)) OVER (ORDER BY ledger_seq) AS rising
                                      FROM ledger) s WHERE NOT rising)::text AS out_of_order
        FROM ledger`.execute(f.database.db);
    expect(rows[0]).toEqual({
      entries: String(events),
      first: '1',
      last: String(events),
      positions: String(events),
      missing: '0',
      out_of_order: '0',
    });
    const report = await f.verify();
    expect(report).toMatchObject({ ok: true, entries: events });
    expect(report.digests).toBeGreaterThanOrEqual(Math.floor(events / 25));
  });
});
