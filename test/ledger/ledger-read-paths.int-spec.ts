import fc from 'fast-check';
import { sql } from 'kysely';
import { canonicalJson } from '../../src/ledger/canonical-json';
import { eventHash } from '../../src/ledger/hash-chain';
import { canonicalEvent } from '../../src/ledger/ledger-event';
import { readEventsAfter } from '../../src/ledger/ledger-store';
import { EVENT_COLUMNS, hashEventRow } from '../../src/ledger/verify/binary-copy/binary-event';
import { copyOut } from '../../src/ledger/verify/binary-copy/copy-out';
import { openLedgerReader } from '../../src/ledger/verify/ledger-window';
import { type TestDatabase, createTestDatabase } from '../support/test-database';

/**
 * The sequencer hashes events read as text (EVENT_LINE_SQL, canonicalEvent); verify and export
 * hash them read as binary COPY (verify/binary-copy/binary-event.ts). Both must give the same
 * bytes for every event PostgreSQL can store, or verify would report tampering that never was.
 */
describe('the text and the binary read of an event hash alike', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Types and tags the service never writes, to reach every branch.
    await sql`ALTER TABLE events DROP CONSTRAINT events_type_check`.execute(database.db);
  });
  afterAll(() => database.drop());

  const insert = async (
    rows: { type?: string; tags?: string; data: string; metadata?: string; occurred?: string }[],
  ) => {
    for (const row of rows)
      await sql`
        INSERT INTO events (event_id, type, tags, data, metadata, occurred_at)
        VALUES (gen_random_uuid(), ${row.type ?? 'Tested'}, ${row.tags ?? '{}'}::text[], ${row.data}::jsonb,
                ${row.metadata ?? '{}'}::jsonb, ${row.occurred ?? '2026-11-28T12:00:00.123456Z'}::timestamptz)`.execute(
        database.db,
      );
  };

  const bothWays = async () => {
    const text = new Map<string, string>();
    for (const row of await readEventsAfter(database.db, { transactionId: 0n, position: 0n }, 100_000))
      text.set(row.position, canonicalEvent(row));
    const binary = new Map<string, { hash: string | null; text?: string }>();
    const client = await openLedgerReader(database.url);
    try {
      await copyOut(client, `COPY (SELECT ${EVENT_COLUMNS} FROM events) TO STDOUT (FORMAT binary)`, (r) =>
        binary.set(String(r.buffer.readBigInt64BE(r.at[0]!)), hashEventRow(r, true)),
      );
    } finally {
      await client.end();
    }
    return { text, binary };
  };

  it('for values chosen to reach every branch', async () => {
    await insert([
      { data: '{"b": 1.50, "a": 2000, "c": 1e21, "d": 12345678901234567890, "e": -0.0, "f": 0.1, "g": -17}' },
      { data: '{"é": "ü", "e": "😀", "\uFB33": "x", "\uD83D\uDE00": "y", "10": 1, "9": 2, "__proto__": {"z": []}}' },
      {
        data: `{"s": "\\"quoted\\" \\\\ back\\tslash\\n\\u0001\\u001f\\u007f/", "t": true, "n": null, "o": {}, "l": []}`,
      },
      { data: '[1, [2, [3, {"b": 2, "a": 1}]]]', metadata: '{"deep": {"deeper": {"b": 1, "a": {"d": 1, "c": 2}}}}' },
      {
        data: `{"big": "${'x'.repeat(200_000)}", "many": {${Array.from({ length: 300 }, (_, i) => `"k${(i * 7919) % 300}": ${i}`).join(', ')}}}`,
      },
      { type: 'Weird "type"\t\\ é', tags: `{"a,b","c\\"d",NULL,"é😀","tab\there",""}`, data: '"just a string"' },
      { tags: '{{a,b},{c,d}}', data: '42' },
      { data: '{}', occurred: 'infinity' },
      { data: '{}', occurred: '1600-01-01T00:00:00Z' },
      { data: '{}', occurred: '4000-12-31T23:59:59.999999Z' },
    ]);
    const { text, binary } = await bothWays();
    expect(binary.size).toBe(text.size);
    for (const [position, canonical] of text) {
      expect(binary.get(position)!.text).toBe(canonical);
      expect(binary.get(position)!.hash).toBe(eventHash(canonical));
    }
  });

  it('for any JSON value as data and metadata', async () => {
    const values = fc.sample(fc.jsonValue({ stringUnit: 'grapheme' }), 300);
    const storable = values
      .map((value) => JSON.stringify(value))
      .filter((json) => !json.includes('\\u0000')) // jsonb refuses NUL
      .filter((json) => {
        try {
          canonicalJson(JSON.parse(json));
          return true;
        } catch {
          return false;
        }
      });
    await insert(storable.map((json, i) => ({ data: json, metadata: JSON.stringify({ i, v: JSON.parse(json) }) })));
    const { text, binary } = await bothWays();
    for (const [position, canonical] of text) expect(binary.get(position)!.text).toBe(canonical);
  });
});
