import { hash } from 'node:crypto';
import { Client, type ClientBase } from 'pg';
import { int8Text, timestampMicros, uuidText, xid8Text } from './binary-values';
import { EVENT_COLUMNS, hashEventRow } from './binary-event';
import type { WalkEntry } from './chain-walk';
import { copyOut } from './copy-out';

/**
 * Ledger entries after..upTo with what the events they name hash to now, column by column: cheap to
 * pass from a worker thread, and no object per entry until the walk wants one (windowEntries).
 */
export interface LedgerWindow {
  readonly count: number;
  readonly seq: number[];
  readonly position: string[];
  readonly transactionId: string[];
  readonly eventId: string[];
  readonly eventHash: string[];
  readonly prevHash: string[];
  readonly entryHash: string[];
  /** entryHash = SHA-256(prevHash || eventHash), checked here: off the thread that walks. */
  readonly entryOk: boolean[];
  readonly sequencedAt: (number | null)[];
  /** What the event at the position hashes to now: null when unreadable, '' when there is none. */
  readonly actualHash: (string | null)[];
  /** The event id found at the position: only when it does not hash as chained ('' otherwise). */
  readonly actualEventId: string[];
  readonly occurredAt: (number | null)[];
  /** The events' canonical texts, when asked for (export). */
  readonly text?: (string | null)[];
  /** Events in the window's stretch of the log that none of its entries names. */
  readonly loose: LooseEvent[];
  /** Positions whose events stood outside the window's stretch and were fetched by position. */
  readonly fetchedByPosition: string[];
}

export interface LooseEvent {
  readonly position: string;
  readonly transactionId: string;
  readonly eventId: string;
  readonly text?: string | null;
}

/**
 * A connection of verify's own. Session settings, for the window reads alone: a range of the
 * (transaction_id, position) index is estimated by its row comparisons at a quarter of the table,
 * so the planner would scan all of `events` (and compile it with JIT) for each window; nor does a
 * parallel plan pay for a few thousand rows.
 */
export async function openLedgerReader(connectionString: string): Promise<Client> {
  const client = new Client({ connectionString, application_name: 'aliastrail-verify' });
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
  const withText = options.withText ?? false;
  const w = emptyWindow(withText);
  const index = new Map<string, number>();
  await copyOut(
    client,
    `COPY (SELECT ledger_seq, position, transaction_id, event_id, event_hash, prev_hash, entry_hash, sequenced_at
             FROM ledger WHERE ledger_seq > ${int(after)} AND ledger_seq <= ${int(upTo)} ORDER BY ledger_seq) TO STDOUT (FORMAT binary)`,
    (r) => {
      const b = r.buffer;
      const at = r.at;
      const position = int8Text(b, at[1]!);
      const sequencedAt = timestampMicros(b, at[7]!);
      index.set(position, w.seq.length);
      w.seq.push(Number(int8Text(b, at[0]!)));
      w.position.push(position);
      w.transactionId.push(xid8Text(b, at[2]!));
      w.eventId.push(uuidText(b, at[3]!));
      w.eventHash.push(b.toString('hex', at[4]!, at[4]! + r.length[4]!));
      w.prevHash.push(b.toString('hex', at[5]!, at[5]! + r.length[5]!));
      w.entryHash.push(b.toString('hex', at[6]!, at[6]! + r.length[6]!));
      w.entryOk.push(linked(b, at[5]!, r.length[5]!, at[4]!, r.length[4]!, at[6]!, r.length[6]!));
      w.sequencedAt.push(typeof sequencedAt === 'number' ? sequencedAt : null);
      w.actualHash.push('');
      w.actualEventId.push('');
      w.occurredAt.push(null);
      w.text?.push(null);
    },
  );
  const count = w.seq.length;
  if (count === 0) return { ...w, count };

  const { rows: below } = await client.query<{ tx: string; pos: string }>(
    'SELECT transaction_id::text AS tx, position::text AS pos FROM ledger WHERE ledger_seq <= $1 ORDER BY ledger_seq DESC LIMIT 1',
    [after],
  );
  const from = below[0] ?? { tx: '0', pos: '0' };
  const found = new Uint8Array(count);
  const take = (fetched: boolean) => (r: Parameters<Parameters<typeof copyOut>[2]>[0]) => {
    const position = int8Text(r.buffer, r.at[0]!);
    const i = index.get(position);
    const event = hashEventRow(r, withText);
    if (i === undefined || found[i]) {
      w.loose.push({
        position,
        transactionId: r.at[1]! < 0 ? '' : xid8Text(r.buffer, r.at[1]!),
        eventId: r.at[2]! < 0 ? '' : uuidText(r.buffer, r.at[2]!),
        ...(withText ? { text: event.text } : {}),
      });
      return;
    }
    found[i] = 1;
    if (fetched) w.fetchedByPosition.push(position);
    w.actualHash[i] = event.hash;
    if (event.hash !== w.eventHash[i]) w.actualEventId[i] = r.at[2]! < 0 ? '' : uuidText(r.buffer, r.at[2]!);
    const occurredAt = r.at[4]! < 0 ? null : timestampMicros(r.buffer, r.at[4]!);
    w.occurredAt[i] = typeof occurredAt === 'number' ? occurredAt : null;
    if (w.text) w.text[i] = event.text ?? null;
  };
  const last = count - 1;
  await copyOut(
    client,
    `COPY (SELECT ${EVENT_COLUMNS} FROM events
            WHERE (transaction_id, position) > ('${int(from.tx)}'::xid8, ${int(from.pos)}::bigint)
              AND (transaction_id, position) <= ('${int(w.transactionId[last]!)}'::xid8, ${int(w.position[last]!)}::bigint)) TO STDOUT (FORMAT binary)`,
    take(false),
  );
  const missing = w.position.filter((_, i) => !found[i]);
  if (missing.length > 0)
    await copyOut(
      client,
      `COPY (SELECT ${EVENT_COLUMNS} FROM events WHERE position IN (${missing.map(int).join(', ')})) TO STDOUT (FORMAT binary)`,
      take(true),
    );
  return { ...w, count };
}

/** The window's entries as the walk takes them, one object each. */
export function* windowEntries(w: LedgerWindow): Generator<WalkEntry> {
  for (let i = 0; i < w.count; i++) {
    const hash = w.actualHash[i]!;
    yield {
      seq: w.seq[i]!,
      position: w.position[i]!,
      transactionId: w.transactionId[i]!,
      eventId: w.eventId[i]!,
      eventHash: w.eventHash[i]!,
      prevHash: w.prevHash[i]!,
      entryHash: w.entryHash[i]!,
      sequencedAt: w.sequencedAt[i]!,
      entryOk: w.entryOk[i]!,
      actual:
        hash === ''
          ? undefined
          : { eventHash: hash, eventId: w.actualEventId[i] || w.eventId[i]!, occurredAt: w.occurredAt[i]! },
    };
  }
}

function emptyWindow(withText: boolean) {
  return {
    seq: [] as number[],
    position: [] as string[],
    transactionId: [] as string[],
    eventId: [] as string[],
    eventHash: [] as string[],
    prevHash: [] as string[],
    entryHash: [] as string[],
    entryOk: [] as boolean[],
    sequencedAt: [] as (number | null)[],
    actualHash: [] as (string | null)[],
    actualEventId: [] as string[],
    occurredAt: [] as (number | null)[],
    ...(withText ? { text: [] as (string | null)[] } : {}),
    loose: [] as LooseEvent[],
    fetchedByPosition: [] as string[],
  };
}

const link = Buffer.alloc(64);

/** Whether the entry hash (bytes at e) is SHA-256 of the prev hash (at p) and the event hash (at h). */
function linked(
  b: Buffer,
  p: number,
  pLength: number,
  h: number,
  hLength: number,
  e: number,
  eLength: number,
): boolean {
  if (pLength !== 32 || hLength !== 32 || eLength !== 32) return false;
  b.copy(link, 0, p, p + 32);
  b.copy(link, 32, h, h + 32);
  return hash('sha256', link, 'buffer').equals(b.subarray(e, e + 32));
}

/** A value inlined into COPY, which takes no parameters: only ever a decimal integer. */
function int(value: number | string): string {
  const text = String(value);
  if (!/^-?\d+$/.test(text)) throw new Error(`not a ledger number: ${text}`);
  return text;
}
