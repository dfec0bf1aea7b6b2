import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalJson } from '../../src/ledger/canonical-json';
import { entryHash, eventHash } from '../../src/ledger/hash-chain';
import { exportLedger } from '../../src/ledger/ledger-export';
import { verifyOffline } from '../../src/ledger/verify/offline-verify';
import { type LedgerFixture, asSuperuser, ledgerFixture } from './ledger-fixture';

/**
 * An export verified with no database, and tampered with as files: the same findings as online.
 * 20 events, a digest every 5 entries (digests 1..4 cover 1-5, 6-10, 11-15, 16-20).
 */
describe('verify --offline', () => {
  let f: LedgerFixture;
  let exported: string;
  let copy: string;
  const keys = () => new Map([[f.key.fingerprint, f.key.publicKey]]);
  const lines = (file: string) => fs.readFileSync(path.join(copy, file), 'utf8').trimEnd().split('\n');
  const write = (file: string, content: string[]) => fs.writeFileSync(path.join(copy, file), `${content.join('\n')}\n`);
  const firstBad = async () => (await verifyOffline(copy, { publicKeys: keys() })).firstBad;

  beforeAll(async () => {
    f = await ledgerFixture({ digestEvery: 5 });
    await f.appendEach(20);
    await f.chainAll();
    exported = path.join(f.keyDir, 'export');
    const result = await exportLedger(f.database.db, exported, { connectionString: f.database.url });
    expect(result).toMatchObject({ entries: 20, digests: 4, strays: 0 });
  });
  afterAll(() => f.drop());

  beforeEach(() => {
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'aliastrail-export-'));
    fs.cpSync(exported, copy, { recursive: true });
  });
  afterEach(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('verifies an untouched export, and one whose lines were only reformatted', async () => {
    expect((await verifyOffline(copy, { publicKeys: keys() })).ok).toBe(true);
    write(
      'ledger.jsonl',
      lines('ledger.jsonl').map((line) => JSON.stringify(reversed(JSON.parse(line)), null, 0)),
    );
    expect(await verifyOffline(copy, { publicKeys: keys() })).toMatchObject({ ok: true, entries: 20 });
  });

  it('an edited event', async () => {
    write(
      'ledger.jsonl',
      lines('ledger.jsonl').map((line, i) => (i === 6 ? line.replace('"note":"event 7"', '"note":"event X"') : line)),
    );
    expect(await firstBad()).toMatchObject({ kind: 'edited', ledgerSeq: 7, scope: 'entry' });
  });

  it('a deleted line', async () => {
    write(
      'ledger.jsonl',
      lines('ledger.jsonl').filter((_, i) => i !== 6),
    );
    expect(await firstBad()).toMatchObject({ kind: 'deleted', ledgerSeq: 7 });
  });

  it('an inserted line, chained properly and the rest renumbered', async () => {
    const all = lines('ledger.jsonl').map((line) => JSON.parse(line) as Record<string, unknown>);
    const before = all[5]!;
    const event = {
      ...(before.event as Record<string, unknown>),
      event_id: '00000000-0000-4000-8000-000000000000',
      data: { forged: true },
    };
    const hash = eventHash(canonicalJson(event));
    const forged = {
      ...before,
      ledger_seq: 7,
      event_id: event.event_id,
      event_hash: hash,
      prev_hash: before.entry_hash,
      entry_hash: entryHash(before.entry_hash as string, hash),
      event,
    };
    const renumbered = all.slice(6).map((line) => ({ ...line, ledger_seq: (line.ledger_seq as number) + 1 }));
    write(
      'ledger.jsonl',
      [...all.slice(0, 6), forged, ...renumbered].map((line) => JSON.stringify(line)),
    );
    expect(await firstBad()).toMatchObject({ kind: 'inserted', ledgerSeq: 7 });
  });

  it('two lines that swapped places', async () => {
    const all = lines('ledger.jsonl');
    [all[6], all[11]] = [all[11]!, all[6]!];
    write('ledger.jsonl', all);
    expect(await firstBad()).toMatchObject({ kind: 'reordered', ledgerSeq: 7 });
  });

  it('a missing digest', async () => {
    write(
      'digests.jsonl',
      lines('digests.jsonl').filter((_, i) => i !== 1),
    );
    expect(await firstBad()).toMatchObject({ kind: 'digest-missing', ledgerSeq: 6, digestSeq: 2 });
  });

  it('a forged digest', async () => {
    write(
      'digests.jsonl',
      lines('digests.jsonl').map((line, i) => (i === 2 ? line.replace('"event_count":5', '"event_count":4') : line)),
    );
    expect(await firstBad()).toMatchObject({ kind: 'digest-forged', ledgerSeq: 11, digestSeq: 3 });
  });

  it('the wrong public key: every digest is forged', async () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    const report = await verifyOffline(copy, { publicKeys: new Map([['someone-else', publicKey]]) });
    expect(report.firstBad).toMatchObject({ kind: 'digest-forged', ledgerSeq: 1, digestSeq: 1 });
  });

  it('an event inserted behind the sequencer in the database travels in the export', async () => {
    const { rows } = await sql<{ tx: string; pos: string }>`
      SELECT l.transaction_id::text AS tx, l.position::text AS pos FROM ledger l WHERE l.ledger_seq = 6`.execute(
      f.database.db,
    );
    await asSuperuser(
      f.database.db,
      `INSERT INTO events (position, transaction_id, event_id, type, data, occurred_at) OVERRIDING SYSTEM VALUE
       VALUES (1000000, '${rows[0]!.tx}', gen_random_uuid(), 'Forged', '{}', now())`,
    );
    const dir = path.join(copy, 'again');
    expect((await exportLedger(f.database.db, dir, { connectionString: f.database.url })).strays).toBe(1);
    expect((await verifyOffline(dir, { publicKeys: keys() })).firstBad).toMatchObject({
      kind: 'inserted',
      ledgerSeq: 7,
      position: '1000000',
    });
  });
});

function reversed(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).reverse());
}
