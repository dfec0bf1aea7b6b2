import { generateKeyPairSync, sign } from 'node:crypto';
import { sql } from 'kysely';
import { digestDocument } from '../../src/ledger/digest';
import { GENESIS_HASH, entryHash } from '../../src/ledger/hash-chain';
import { readDigests } from '../../src/ledger/ledger-store';
import { Client } from 'pg';
import { readLedgerWindow } from '../../src/ledger/verify/ledger-window';
import { transferables, windowEntries } from '../../src/ledger/verify/window-columns';
import { type LedgerFixture, asSuperuser, ledgerFixture, ledgerRows } from './ledger-fixture';

/**
 * Tampering as a superuser would, past every trigger (session_replication_role = replica), and the
 * exact finding verify must report. 20 events, one transaction each; a digest every 5 entries:
 * digests 1..4 cover ledger sequences 1-5, 6-10, 11-15, 16-20.
 */
describe('verify names the first tampered ledger sequence and how it was tampered with', () => {
  let f: LedgerFixture;
  let at: (seq: number) => string; // the position chained at a ledger sequence

  beforeEach(async () => {
    f = await ledgerFixture({ digestEvery: 5 });
    await f.appendEach(20);
    await f.chainAll();
    const rows = await ledgerRows(f.database.db);
    at = (seq) => rows[seq - 1]!.position;
    expect((await f.verify()).ok).toBe(true);
  });
  afterEach(() => f.drop());

  const firstBad = async () => (await f.verify()).firstBad;

  it('an edited event', async () => {
    await asSuperuser(f.database.db, `UPDATE events SET data = '{"n": 7, "note": "forged"}' WHERE position = ${at(7)}`);
    expect(await firstBad()).toMatchObject({ kind: 'edited', ledgerSeq: 7, scope: 'entry', position: at(7) });
  });

  it('an event whose time was moved by a microsecond', async () => {
    await asSuperuser(
      f.database.db,
      `UPDATE events SET recorded_at = recorded_at + interval '1 microsecond' WHERE position = ${at(13)}`,
    );
    expect(await firstBad()).toMatchObject({ kind: 'edited', ledgerSeq: 13 });
  });

  it('a deleted event', async () => {
    await asSuperuser(f.database.db, `DELETE FROM events WHERE position = ${at(7)}`);
    expect(await firstBad()).toMatchObject({ kind: 'deleted', ledgerSeq: 7, scope: 'entry' });
  });

  it('an event inserted behind the sequencer', async () => {
    const { rows } = await sql<{
      tx: string;
    }>`SELECT transaction_id::text AS tx FROM events WHERE position = ${at(6)}::bigint`.execute(f.database.db);
    await asSuperuser(
      f.database.db,
      `INSERT INTO events (position, transaction_id, event_id, type, tags, data, metadata, occurred_at)
       OVERRIDING SYSTEM VALUE
       VALUES (1000000, '${rows[0]!.tx}', gen_random_uuid(), 'AliasDeleted', '{}', '{"forged": true}', '{}', now())`,
    );
    expect(await firstBad()).toMatchObject({ kind: 'inserted', ledgerSeq: 7, position: '1000000' });
  });

  it('two events that swapped places', async () => {
    const [p7, p12] = [at(7), at(12)];
    await asSuperuser(
      f.database.db,
      `CREATE TEMP TABLE swapped ON COMMIT DROP AS SELECT * FROM events WHERE position IN (${p7}, ${p12})`,
      `DELETE FROM events WHERE position IN (${p7}, ${p12})`,
      `INSERT INTO events OVERRIDING SYSTEM VALUE
       SELECT CASE position WHEN ${p7} THEN ${p12} ELSE ${p7} END, transaction_id, event_id, type, schema_version, tags,
              data, metadata, occurred_at, recorded_at FROM swapped`,
    );
    const report = await f.verify();
    expect(report.firstBad).toMatchObject({ kind: 'reordered', ledgerSeq: 7 });
    expect(report.findings.map((x) => [x.kind, x.ledgerSeq])).toEqual([
      ['reordered', 7],
      ['reordered', 12],
    ]);
  });

  it('two ledger entries that swapped events', async () => {
    await asSuperuser(
      f.database.db,
      // in three steps: the position is unique at every row
      `UPDATE ledger SET position = -1 WHERE ledger_seq = 3`,
      `UPDATE ledger SET position = ${at(3)} WHERE ledger_seq = 4`,
      `UPDATE ledger SET position = ${at(4)} WHERE ledger_seq = 3`,
    );
    expect(await firstBad()).toMatchObject({ kind: 'reordered', ledgerSeq: 3 });
  });

  it('a ledger entry removed, its event left', async () => {
    await asSuperuser(f.database.db, 'DELETE FROM ledger WHERE ledger_seq = 7');
    expect(await firstBad()).toMatchObject({ kind: 'deleted', ledgerSeq: 7 });
  });

  it('the last entries cut off, events and ledger both', async () => {
    await asSuperuser(
      f.database.db,
      `DELETE FROM events WHERE position >= ${at(18)}`,
      'DELETE FROM ledger WHERE ledger_seq >= 18',
    );
    expect(await firstBad()).toMatchObject({ kind: 'deleted', ledgerSeq: 18, digestSeq: 4 });
  });

  it('an edited event whose ledger entries were all recomputed: the signed digest still tells', async () => {
    await asSuperuser(f.database.db, `UPDATE events SET data = '{"n": 8, "note": "forged"}' WHERE position = ${at(8)}`);
    await recomputeLedgerFrom(f, 8);
    const report = await f.verify();
    expect(report.firstBad).toMatchObject({
      kind: 'edited',
      ledgerSeq: 6,
      toLedgerSeq: 10,
      digestSeq: 2,
      scope: 'digest-range',
    });
  });

  it('a missing digest', async () => {
    await asSuperuser(f.database.db, 'DELETE FROM ledger_digests WHERE digest_seq = 2');
    expect(await firstBad()).toMatchObject({ kind: 'digest-missing', ledgerSeq: 6, digestSeq: 2 });
  });

  it('the latest digest removed', async () => {
    await asSuperuser(f.database.db, 'DELETE FROM ledger_digests WHERE digest_seq = 4');
    expect(await firstBad()).toMatchObject({ kind: 'digest-missing', ledgerSeq: 16, digestSeq: 4 });
  });

  it('a digest whose content was changed', async () => {
    await asSuperuser(
      f.database.db,
      `UPDATE ledger_digests SET head_hash = decode('${GENESIS_HASH}', 'hex') WHERE digest_seq = 3`,
    );
    expect(await firstBad()).toMatchObject({ kind: 'digest-forged', ledgerSeq: 11, digestSeq: 3, scope: 'digest' });
  });

  it('a digest signed again with a key of the forger’s own', async () => {
    const digest = (await readDigests(f.database.db)).find((d) => d.digestSeq === 3)!;
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = sign(null, Buffer.from(digestDocument({ ...digest, eventCount: 5 }), 'utf8'), privateKey).toString(
      'hex',
    );
    await asSuperuser(
      f.database.db,
      `UPDATE ledger_digests SET signature = decode('${forged}', 'hex') WHERE digest_seq = 3`,
    );
    expect(await firstBad()).toMatchObject({ kind: 'digest-forged', ledgerSeq: 11, digestSeq: 3 });
  });
  it('a stored hash cut short (its length check dropped): verify names the entry, and its untouched event still reads as chained', async () => {
    await asSuperuser(
      f.database.db,
      'ALTER TABLE ledger DROP CONSTRAINT ledger_prev_hash_check',
      `UPDATE ledger SET prev_hash = substring(prev_hash from 1 for 31), event_id = gen_random_uuid() WHERE ledger_seq = 4`,
    );
    const client = new Client({ connectionString: f.database.url });
    await client.connect();
    const entries = [...windowEntries(await readLedgerWindow(client, 0, 1_000).finally(() => client.end()))];
    expect(entries[3]!.prevHash).toHaveLength(62);
    expect(entries[3]!.actual).toMatchObject({ eventHash: entries[3]!.eventHash, eventId: entries[3]!.eventId });
    expect(await firstBad()).toMatchObject({ ledgerSeq: 4 });
  });

  it('a window read in a worker thread reaches the walk whole: what postMessage moves reads as what was read', async () => {
    await asSuperuser(f.database.db, `UPDATE events SET data = '{"n": 7, "note": "forged"}' WHERE position = ${at(7)}`);
    await asSuperuser(f.database.db, `DELETE FROM events WHERE position = ${at(12)}`);
    const client = new Client({ connectionString: f.database.url });
    await client.connect();
    const window = await readLedgerWindow(client, 0, 1_000, { withText: true }).finally(() => client.end());
    const read = [...windowEntries(window)];
    expect(read.filter((e) => e.actual?.eventHash !== e.eventHash).map((e) => e.seq)).toEqual([7, 12]);
    // As window-worker.ts posts it: the arrays moved, not copied; Buffers arrive as plain Uint8Arrays.
    const moved = structuredClone(window, { transfer: transferables(window) });
    expect(window.bytes.byteLength).toBe(0); // detached: it was moved
    expect([...windowEntries(moved)]).toEqual(read);
    expect(moved.text).toHaveLength(20);
  });
});

/** What a forger without the signing key can do: recompute every ledger hash from `seq` on. */
async function recomputeLedgerFrom(f: LedgerFixture, seq: number): Promise<void> {
  const client = new Client({ connectionString: f.database.url });
  await client.connect();
  const entries = [...windowEntries(await readLedgerWindow(client, 0, 1_000).finally(() => client.end()))];
  let prev = GENESIS_HASH;
  const updates: string[] = [];
  for (const entry of entries) {
    if (entry.seq < seq) {
      prev = entry.entryHash;
      continue;
    }
    const event = entry.actual!.eventHash!;
    const next = entryHash(prev, event);
    updates.push(
      `UPDATE ledger SET event_hash = decode('${event}', 'hex'), prev_hash = decode('${prev}', 'hex'), entry_hash = decode('${next}', 'hex') WHERE ledger_seq = ${entry.seq}`,
    );
    prev = next;
  }
  await asSuperuser(f.database.db, ...updates);
}
