import * as fs from 'node:fs';
import { sql } from 'kysely';
import { AppendListener } from '../../src/event-store/append-listener';
import { AppendNotifier } from '../../src/event-store/append-notifier';
import { EventStore } from '../../src/event-store/event-store';
import { LedgerSequencer } from '../../src/ledger/ledger-sequencer';
import { LedgerKeyMismatch } from '../../src/ledger/sequencer-plan';
import { openSigningKey } from '../../src/ledger/signing-key';
import { anEvent } from '../support/events';
import { HOUR_MS, type LedgerFixture, digestRows, ledgerFixture, ledgerRows } from './ledger-fixture';

describe('the ledger sequencer', () => {
  let f: LedgerFixture;

  beforeEach(async () => {
    f = await ledgerFixture({ digestEvery: 5 });
  });
  afterEach(() => f.drop());

  it('chains every event once, in log order, with gapless sequence numbers and a digest every 5', async () => {
    const events = await f.appendEach(12);
    const sequencer = f.sequencer({ batchSize: 4 });
    expect(await f.chainAll(sequencer)).toEqual({ entries: 12, digests: 2 });
    const rows = await ledgerRows(f.database.db);
    expect(rows.map((r) => Number(r.ledger_seq))).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
    expect(await digestRows(f.database.db)).toMatchObject([
      { digest_seq: '1', reason: 'count', from_ledger_seq: '1', to_ledger_seq: '5', event_count: 5 },
      { digest_seq: '2', reason: 'count', from_ledger_seq: '6', to_ledger_seq: '10', event_count: 5 },
    ]);
    expect((await f.verify()).ok).toBe(true);
    expect(await sequencer.catchUp()).toEqual({ entries: 0, digests: 0 });
  });

  it('closes every hour with a digest, empty for quiet hours and for hours it was not running', async () => {
    const sequencer = f.sequencer();
    await f.appendEach(2);
    await f.chainAll(sequencer); // 10:00: genesis, two entries
    f.clock.advance(HOUR_MS + 1); // 11:00:00.001
    await f.appendEach(1);
    await f.chainAll(sequencer);
    f.clock.advance(3 * HOUR_MS); // the service was down from 11 to 14
    await sequencer.catchUp();
    const digests = await digestRows(f.database.db);
    expect(digests.map((d) => [d.reason, d.from_ledger_seq, d.to_ledger_seq, d.event_count])).toEqual([
      ['hour', '1', '2', 2], // 10:00-11:00
      ['hour', '3', '3', 1], // 11:00-12:00
      ['hour', '4', '3', 0], // 12:00-13:00, quiet
      ['hour', '4', '3', 0], // 13:00-14:00, quiet
    ]);
    const { rows } = await sql<{ period_start: Date; period_end: Date; signed_at: Date }>`
      SELECT period_start, period_end, signed_at FROM ledger_digests ORDER BY digest_seq`.execute(f.database.db);
    expect(rows.map((r) => r.period_end.toISOString())).toEqual([
      '2026-11-28T11:00:00.000Z',
      '2026-11-28T12:00:00.000Z',
      '2026-11-28T13:00:00.000Z',
      '2026-11-28T14:00:00.000Z',
    ]);
    expect(rows[0]!.period_start.toISOString()).toBe('2026-11-28T10:00:00.000Z');
    // Closed late, after the downtime: the signing time shows it.
    expect(rows[3]!.signed_at.toISOString()).toBe('2026-11-28T14:00:00.001Z');
    expect((await f.verify()).ok).toBe(true);
  });

  it('lets one instance at a time chain: a second one skips while the first holds the row', async () => {
    await f.appendEach(3);
    const first = f.sequencer();
    const second = f.sequencer();
    await f.database.db.transaction().execute(async (trx) => {
      await sql`SELECT 1 FROM ledger_state FOR UPDATE`.execute(trx);
      expect((await second.step()).outcome).toBe('busy');
    });
    expect((await first.step()).outcome).toBe('done'); // the genesis, at least
    await f.chainAll(first);
    expect((await second.step()).outcome).toBe('idle');
  });

  it('refuses to sign the chain with another key', async () => {
    await f.appendEach(5);
    await f.chainAll();
    const other = openSigningKey(`${f.keyDir}/other.pem`, { create: true }).key;
    await f.appendEach(1);
    const stranger = f.sequencer();
    Object.assign(stranger, { signerFor: () => other.signer });
    await expect(stranger.step()).rejects.toThrow(LedgerKeyMismatch);
  });

  it('generates the key once, private 0600, and writes the public key beside it', () => {
    const file = `${f.keyDir}/fresh/key.pem`;
    const first = openSigningKey(file, { create: true });
    const again = openSigningKey(file, { create: true });
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.key.fingerprint).toBe(first.key.fingerprint);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(`${f.keyDir}/fresh/key.pub.pem`, 'utf8')).toContain('BEGIN PUBLIC KEY');
    expect(() => openSigningKey(`${f.keyDir}/missing.pem`, { create: false })).toThrow(/does not exist/);
  });

  it('behind and under constant writes, it rests between batches yet keeps chaining, and catches up once they stop', async () => {
    await f.appendEach(300); // the history it starts behind
    const notifier = new AppendNotifier(f.database.pool);
    const writers = Array.from(
      { length: 4 },
      () => new EventStore(f.database.pool, f.database.db, { afterCommit: () => notifier.notify() }),
    );
    const listener = new AppendListener(f.database.url);
    await listener.start();
    const chained = async () =>
      Number(
        (await sql<{ n: string }>`SELECT ledger_seq::text AS n FROM ledger_state`.execute(f.database.db)).rows[0]!.n,
      );
    const sequencer = new LedgerSequencer(f.database.db, listener, f.clock, () => f.key.signer, {
      pollIntervalMs: 20,
      minIntervalMs: 0,
      digestEvery: 5,
      batchSize: 20,
      catchUpShare: 0.2,
    });
    let writing = true;
    const progress: number[] = [];
    try {
      sequencer.start();
      const load = writers.map(async (store) => {
        while (writing) await store.append([anEvent({ data: { note: 'under load' } })]);
      });
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        progress.push(await chained());
      }
      writing = false;
      await Promise.all(load);
      // It moved on all along, however busy the writers kept the service.
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]!);
      const total = Number(
        (await sql<{ n: string }>`SELECT count(*)::text AS n FROM events`.execute(f.database.db)).rows[0]!.n,
      );
      const deadline = Date.now() + 20_000;
      while ((await chained()) < total && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await chained()).toBe(total);
    } finally {
      writing = false;
      await sequencer.stop();
      await listener.stop();
    }
    expect((await f.verify()).ok).toBe(true);
  });

  it('keeps the ledger and its digests append-only', async () => {
    await f.appendEach(5);
    await f.chainAll();
    for (const statement of [
      'UPDATE ledger SET sequenced_at = now()',
      'DELETE FROM ledger',
      'TRUNCATE ledger',
      'UPDATE ledger_digests SET reason = reason',
      'DELETE FROM ledger_digests',
      'TRUNCATE ledger_digests',
    ])
      await expect(sql.raw(statement).execute(f.database.db)).rejects.toThrow(/is append-only/);
  });
});
