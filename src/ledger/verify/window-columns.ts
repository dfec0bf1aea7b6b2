import { int8Text, uuidText, xid8Text } from './binary-copy/binary-values';
import type { WalkEntry, WalkWindow } from './chain-walk';

/**
 * A window of ledger entries (ledger-window.ts reads them) as a few flat arrays: numbers in typed
 * arrays, keys and hashes as raw bytes in one buffer, and no string or object per entry. Verify
 * reads a million entries in worker threads and walks them in the main one; as strings, each window
 * was ten arrays of thousands of strings to copy across, and the main thread spent most of its time
 * collecting them. These arrays cross by moving their memory (`transferables`), and a string is made
 * only for an entry that fails a check, or at the few places the walk needs one (digest boundaries).
 */
export interface LedgerWindow {
  readonly count: number;
  readonly seq: Float64Array;
  /** Epoch microseconds; NaN when unreadable. */
  readonly sequencedAt: Float64Array;
  /** The event at the position now, epoch microseconds; NaN when there is none or it is unreadable. */
  readonly occurredAt: Float64Array;
  readonly flags: Uint8Array;
  /** RECORD bytes an entry (the offsets below). */
  readonly bytes: Uint8Array;
  /** Exact hex of stored hashes that are not 32 bytes (only a tampered table has such); rarely any. */
  readonly oddHashes: Readonly<Record<number, OddHashes>>;
  /** The events' canonical texts, when asked for (export); null where there is none. */
  readonly text?: (string | null)[];
  /** Events in the window's stretch of the log that none of its entries names. */
  readonly loose: LooseEvent[];
  /** Positions whose events stood outside the window's stretch and were fetched by position. */
  readonly fetchedByPosition: string[];
}

export interface OddHashes {
  readonly eventHash: string;
  readonly prevHash: string;
  readonly entryHash: string;
}

export interface LooseEvent {
  readonly position: string;
  readonly transactionId: string;
  readonly eventId: string;
  readonly text?: string | null;
}

/** Entry flags. */
export const ENTRY_OK = 1; // entry_hash = SHA-256(prev_hash || event_hash)
export const HASHED = 2; // an event stands at the position, and ACTUAL_HASH is what it hashes to
export const UNREADABLE = 4; // an event stands there that cannot be read as one (no hash)
export const OTHER_ID = 8; // the event there hashes otherwise, and ACTUAL_ID holds its id
export const ODD = 16; // a stored hash is not 32 bytes: oddHashes has the entry's
/** Every check the window can make alone: its hashes, its event and (but for the first) its predecessor. */
export const CLEAN = 32;

/** Byte offsets within an entry's record. */
export const POSITION = 0;
export const TRANSACTION_ID = 8;
export const EVENT_ID = 16;
export const ACTUAL_ID = 32;
export const EVENT_HASH = 48;
export const PREV_HASH = 80;
export const ENTRY_HASH = 112;
export const ACTUAL_HASH = 144;
export const RECORD = 176;

/** The memory a window's arrays stand in, to move rather than copy it to another thread. */
export function transferables(w: LedgerWindow): ArrayBuffer[] {
  return [w.seq, w.sequencedAt, w.occurredAt, w.flags, w.bytes].map((a) => a.buffer as ArrayBuffer);
}

/** The window's bytes as a Buffer (a view: what crosses threads arrives as a plain Uint8Array). */
export const bufferOf = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const hex = (b: Buffer, at: number) => b.toString('hex', at, at + 32);
const orNull = (value: number) => (Number.isNaN(value) ? null : value);

/** Entry i of the window as the walk takes it. */
export function entryAt(w: LedgerWindow, i: number, b: Buffer = bufferOf(w.bytes)): WalkEntry {
  const o = i * RECORD;
  const flags = w.flags[i]!;
  const odd = flags & ODD ? w.oddHashes[i] : undefined;
  const eventId = uuidText(b, o + EVENT_ID);
  return {
    seq: w.seq[i]!,
    position: int8Text(b, o + POSITION),
    transactionId: xid8Text(b, o + TRANSACTION_ID),
    eventId,
    eventHash: odd?.eventHash ?? hex(b, o + EVENT_HASH),
    prevHash: odd?.prevHash ?? hex(b, o + PREV_HASH),
    entryHash: odd?.entryHash ?? hex(b, o + ENTRY_HASH),
    sequencedAt: orNull(w.sequencedAt[i]!),
    entryOk: (flags & ENTRY_OK) !== 0,
    actual:
      flags & (HASHED | UNREADABLE)
        ? {
            eventHash: flags & HASHED ? hex(b, o + ACTUAL_HASH) : null,
            eventId: flags & OTHER_ID ? uuidText(b, o + ACTUAL_ID) : eventId,
            occurredAt: orNull(w.occurredAt[i]!),
          }
        : undefined,
  };
}

/** The window's entries, one object each (export, tests). */
export function* windowEntries(w: LedgerWindow): Generator<WalkEntry> {
  const b = bufferOf(w.bytes);
  for (let i = 0; i < w.count; i++) yield entryAt(w, i, b);
}

/** The window as ChainWalk.pushWindow reads it: numbers straight from the arrays, strings on demand. */
export function walkWindowOf(w: LedgerWindow): WalkWindow {
  const b = bufferOf(w.bytes);
  return {
    count: w.count,
    seq: w.seq,
    sequencedAt: w.sequencedAt,
    occurredAt: w.occurredAt,
    clean: (i) => (w.flags[i]! & CLEAN) !== 0,
    prevHash: (i) => (w.flags[i]! & ODD ? w.oddHashes[i]!.prevHash : hex(b, i * RECORD + PREV_HASH)),
    entryHash: (i) => (w.flags[i]! & ODD ? w.oddHashes[i]!.entryHash : hex(b, i * RECORD + ENTRY_HASH)),
    position: (i) => int8Text(b, i * RECORD + POSITION),
    entry: (i) => entryAt(w, i, b),
  };
}
