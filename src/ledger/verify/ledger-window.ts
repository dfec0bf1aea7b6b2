import { hash } from 'node:crypto';
import { Client, type ClientBase } from 'pg';
import { copyEventsAt, copyEventsBetween } from '../../event-store/queries/ledger-window-copies';
import { timestampMicros, uuidText, xid8Text } from './binary-copy/binary-values';
import { EVENT_COLUMNS, canonicalRowBytes, unreadableText } from './binary-copy/binary-event';
import { type BinaryRow, copyOut } from './binary-copy/copy-out';
import {
  ACTUAL_HASH,
  ACTUAL_ID,
  CLEAN,
  ENTRY_HASH,
  ENTRY_OK,
  EVENT_HASH,
  EVENT_ID,
  HASHED,
  type LedgerWindow,
  ODD,
  OTHER_ID,
  type OddHashes,
  POSITION,
  PREV_HASH,
  RECORD,
  TRANSACTION_ID,
  UNREADABLE,
  bufferOf,
} from './window-columns';

/**
 * A connection of verify's own. Session settings, for the window reads alone: a range of the
 * (transaction_id, position) index is estimated by its row comparisons at a quarter of the table,
 * so the planner would scan all of `events` (and compile it with JIT) for each window; nor does a
 * parallel plan pay for a few thousand rows.
 */
export async function openLedgerReader(connectionString: string): Promise<Client> {
  const client = new Client({
    connectionString,
    application_name: 'aliastrail-verify',
    connectionTimeoutMillis: 10_000,
    // A server gone without a word ends the read within seconds instead of leaving verify waiting.
    keepAlive: true,
    keepAliveInitialDelayMillis: 5000,
  });
  client.on('error', () => undefined); // reported through the query that fails
  await client.connect();
  await client.query('SET enable_seqscan = off; SET jit = off; SET max_parallel_workers_per_gather = 0');
  return client;
}

/**
 * Reads the entries after..upTo, then the events of the stretch of the log they cover: two streams
 * instead of a join. The sequencer chained events in (transaction_id, position) order, so the
 * events from the key of the entry at `after` to that of the last entry are exactly the ones the
 * entries name, read by that index; they meet the entries by position. An event standing elsewhere
 * (its transaction id changed) is fetched by position, and an event in the stretch that no entry
 * names is loose: a stray, or another window's moved event. PostgreSQL spent less than half the
 * time on this than on a nested-loop join of the same rows, and binary COPY (copy-out.ts) a
 * fraction of what printing text columns took.
 */
export async function readLedgerWindow(
  client: ClientBase,
  after: number,
  upTo: number,
  options: { withText?: boolean } = {},
): Promise<LedgerWindow> {
  const capacity = Math.max(0, upTo - after); // ledger_seq is the key: at most one entry a sequence
  const seq = new Float64Array(capacity);
  const sequencedAt = new Float64Array(capacity);
  const occurredAt = new Float64Array(capacity).fill(NaN);
  const flags = new Uint8Array(capacity);
  const bytes = Buffer.from(new ArrayBuffer(capacity * RECORD));
  const oddHashes: Record<number, OddHashes> = {};
  const text = options.withText ? new Array<string | null>(capacity).fill(null) : undefined;
  const loose: LedgerWindow['loose'] = [];
  const fetchedByPosition: string[] = [];
  const index = new Map<number | string, number>();
  let count = 0;
  await copyOut(
    client,
    `COPY (SELECT ledger_seq, position, transaction_id, event_id, event_hash, prev_hash, entry_hash, sequenced_at
             FROM ledger WHERE ledger_seq > ${int(after)} AND ledger_seq <= ${int(upTo)} ORDER BY ledger_seq) TO STDOUT (FORMAT binary)`,
    (r) => {
      const b = r.buffer;
      const at = r.at;
      const i = count++;
      const o = i * RECORD;
      seq[i] = int8(b, at[0]!) as number;
      put(b, at[1]!, bytes, o + POSITION, 8);
      put(b, at[2]!, bytes, o + TRANSACTION_ID, 8);
      put(b, at[3]!, bytes, o + EVENT_ID, 16);
      const lengths = r.length[4]! === 32 && r.length[5]! === 32 && r.length[6]! === 32;
      if (lengths) {
        put(b, at[4]!, bytes, o + EVENT_HASH, 32);
        put(b, at[5]!, bytes, o + PREV_HASH, 32);
        put(b, at[6]!, bytes, o + ENTRY_HASH, 32);
      } else {
        const hexOf = (k: number) => (at[k]! < 0 ? '' : b.toString('hex', at[k]!, at[k]! + r.length[k]!));
        oddHashes[i] = { eventHash: hexOf(4), prevHash: hexOf(5), entryHash: hexOf(6) };
      }
      const stamp = timestampMicros(b, at[7]!);
      sequencedAt[i] = typeof stamp === 'number' ? stamp : NaN;
      flags[i] = (lengths ? 0 : ODD) | (lengths && linked(b, at[5]!, at[4]!, at[6]!) ? ENTRY_OK : 0);
      index.set(int8(b, at[1]!), i);
    },
  );
  if (text) text.length = count;
  const window = {
    count,
    seq: seq.subarray(0, count),
    sequencedAt: sequencedAt.subarray(0, count),
    occurredAt: occurredAt.subarray(0, count),
    flags: flags.subarray(0, count),
    bytes: bytes.subarray(0, count * RECORD),
    oddHashes,
    text,
    loose,
    fetchedByPosition,
  };
  if (count === 0) return window;

  const { rows: below } = await client.query<{ tx: string; pos: string }>(
    'SELECT transaction_id::text AS tx, position::text AS pos FROM ledger WHERE ledger_seq <= $1 ORDER BY ledger_seq DESC LIMIT 1',
    [after],
  );
  const from = below[0] ?? { tx: '0', pos: '0' };
  const found = new Uint8Array(count);
  const take = (fetched: boolean) => (r: BinaryRow) => {
    const key = int8(r.buffer, r.at[0]!);
    const i = index.get(key);
    const canonical = canonicalRowBytes(r);
    if (i === undefined || found[i]) {
      loose.push({
        position: String(key),
        transactionId: r.at[1]! < 0 ? '' : xid8Text(r.buffer, r.at[1]!),
        eventId: r.at[2]! < 0 ? '' : uuidText(r.buffer, r.at[2]!),
        ...(text ? { text: canonical?.toString('utf8') ?? unreadableText(r) } : {}),
      });
      return;
    }
    found[i] = 1;
    if (fetched) fetchedByPosition.push(String(key));
    const o = i * RECORD;
    if (canonical) {
      bytes.set(hash('sha256', canonical, 'buffer'), o + ACTUAL_HASH);
      flags[i]! |= HASHED;
    } else flags[i]! |= UNREADABLE;
    // An entry with an odd stored hash has it in oddHashes, not in its record.
    const asChained =
      canonical !== null &&
      (flags[i]! & ODD
        ? oddHashes[i]!.eventHash === bytes.toString('hex', o + ACTUAL_HASH, o + ACTUAL_HASH + 32)
        : bytes.compare(bytes, o + EVENT_HASH, o + EVENT_HASH + 32, o + ACTUAL_HASH, o + ACTUAL_HASH + 32) === 0);
    if (!asChained)
      if (r.at[2]! >= 0) {
        put(r.buffer, r.at[2]!, bytes, o + ACTUAL_ID, 16);
        flags[i]! |= OTHER_ID;
      }
    const occurred = r.at[4]! < 0 ? null : timestampMicros(r.buffer, r.at[4]!);
    if (typeof occurred === 'number') occurredAt[i] = occurred;
    if (text) text[i] = canonical?.toString('utf8') ?? unreadableText(r);
  };
  const last = (count - 1) * RECORD;
  await copyOut(
    client,
    copyEventsBetween(
      EVENT_COLUMNS,
      { tx: int(from.tx), pos: int(from.pos) },
      { tx: xid8Text(bytes, last + TRANSACTION_ID), pos: int8(bytes, last + POSITION) },
    ),
    take(false),
  );
  const missing: (number | string)[] = [];
  for (let i = 0; i < count; i++) if (!found[i]) missing.push(int8(bytes, i * RECORD + POSITION));
  if (missing.length > 0) await copyOut(client, copyEventsAt(EVENT_COLUMNS, missing.map(int)), take(true));
  markClean(window);
  return window;
}

/**
 * CLEAN for each entry that passes every check the window can make alone: its entry hash, the event
 * at its position hashing to its event hash and, but for the first, following its predecessor (the
 * next sequence, chained to its entry hash). The walk skips those checks for CLEAN entries.
 */
function markClean(w: LedgerWindow): void {
  const b = bufferOf(w.bytes);
  for (let i = 0; i < w.count; i++) {
    const o = i * RECORD;
    const f = w.flags[i]!;
    if (!(f & ENTRY_OK) || !(f & HASHED) || f & ODD) continue;
    if (b.compare(b, o + EVENT_HASH, o + EVENT_HASH + 32, o + ACTUAL_HASH, o + ACTUAL_HASH + 32) !== 0) continue;
    if (i > 0) {
      const p = o - RECORD;
      if (w.seq[i] !== w.seq[i - 1]! + 1 || w.flags[i - 1]! & ODD) continue;
      if (b.compare(b, p + ENTRY_HASH, p + ENTRY_HASH + 32, o + PREV_HASH, o + PREV_HASH + 32) !== 0) continue;
    }
    w.flags[i] = f | CLEAN;
  }
}

const link = Buffer.alloc(64);

/** Whether the entry hash (32 bytes at e) is SHA-256 of the prev hash (at p) and the event hash (at h). */
function linked(b: Buffer, p: number, h: number, e: number): boolean {
  put(b, p, link, 0, 32);
  put(b, h, link, 32, 32);
  return hash('sha256', link, 'buffer').equals(b.subarray(e, e + 32));
}

/** Copies n bytes: for these few bytes a loop is much cheaper than Buffer.copy's call (8 a row). */
function put(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  for (let k = 0; k < n; k++) dst[to + k] = src[from + k]!;
}

/** An int8 as a number, or as its decimal text beyond 2^53 (no position or sequence gets there). */
function int8(b: Buffer, at: number): number | string {
  const value = b.readInt32BE(at) * 4_294_967_296 + b.readUInt32BE(at + 4);
  return Number.isSafeInteger(value) ? value : b.readBigInt64BE(at).toString();
}

/** A value inlined into COPY, which takes no parameters: only ever a decimal integer. */
function int(value: number | string): string {
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw new Error(`not a ledger number: ${text}`);
  return text;
}
