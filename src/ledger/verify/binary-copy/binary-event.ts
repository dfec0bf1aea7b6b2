/*
 * binary-copy: verify's and export's reader of PostgreSQL's binary COPY format: this file (an event
 * row's canonical bytes), binary-values.ts (one value each) and copy-out.ts (the stream).
 *
 * Why it exists: verify reads every event and every ledger entry, a million of each within 15 s.
 * Binary COPY sends values as stored (hashes as bytes, instants as integers, jsonb as its text
 * after a version byte), so PostgreSQL prints none of them, and each row is read in place from its
 * message: no Buffer or string per field. The event's canonical bytes are written straight from the
 * row (canonical-bytes.ts, jsonb-bytes.ts, the canonicaliser the sequencer's text read uses too).
 *
 * What it costs: these three files, 354 lines, and a second writer of an event's envelope beside
 * canonicalEvent (ledger-event.ts), which test/ledger/ledger-read-paths holds to the same bytes for
 * every event PostgreSQL can store. What it saves, measured on hist1m's million events (issue 13):
 * PostgreSQL sent them as binary COPY in 6.3-6.8 s, as the text lines the sequencer reads
 * (EVENT_LINE_SQL) in 9.6-11.0 s (psql into /dev/null, a loaded machine); and in Node, writing the
 * canonical bytes from the row and hashing them took 9.2 us of CPU an event, building
 * canonicalEvent's strings from the same row (eventRow below) and hashing those 12.9 us: 3.8 CPU
 * seconds more a million, where verify took 12.1 s with 15.6 CPU seconds in all.
 */
import { hash } from 'node:crypto';
import { CanonicalBytes } from '../../canonical-bytes';
import { NotJsonb } from '../../jsonb-bytes';
import { type LedgerEventRow, canonicalEvent } from '../../ledger-event';
import { int8Text, jsonbText, textArray, timestampMicros, uuidText, xid8Text } from './binary-values';
import type { BinaryRow } from './copy-out';

/** The columns of `events` a binary event row has, in this order. */
export const EVENT_COLUMNS =
  'position, transaction_id, event_id, schema_version, occurred_at, recorded_at, type, tags, data, metadata';

export interface HashedRow {
  /** The event's hash; null when it cannot be read as an event. */
  readonly hash: string | null;
  /** Its canonical text (or what stands there, when unreadable), when asked for. */
  readonly text?: string;
}

const writer = new CanonicalBytes();
const ALL_COLUMNS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * Hashes the event of a binary row of EVENT_COLUMNS (canonicalRowBytes), in hex, with its canonical
 * text (or what stands there, when unreadable) when asked for.
 */
export function hashEventRow(r: BinaryRow, withText: boolean): HashedRow {
  const canonical = canonicalRowBytes(r);
  const hashed = canonical && hash('sha256', canonical, 'hex');
  if (!withText) return { hash: hashed };
  return { hash: hashed, text: canonical?.toString('utf8') ?? unreadableText(r) };
}

/**
 * The canonical bytes of the event of a binary row of EVENT_COLUMNS: written straight from the row
 * (canonical-bytes.ts), or, for what only the string path handles, canonicalEvent's text. A NULL
 * where the schema forbids one, or a value that is not JSON, has none. The Buffer may be a view that
 * the next row overwrites.
 */
export function canonicalRowBytes(r: BinaryRow): Buffer | null {
  if (!ALL_COLUMNS.every((i) => r.at[i]! >= 0)) return null;
  try {
    return canonicalEventBytes(r);
  } catch (error) {
    if (!(error instanceof NotJsonb)) throw error;
    try {
      return Buffer.from(canonicalEvent(eventRow(r)));
    } catch {
      return null; // not an event any more
    }
  }
}

/** What the export shows for a row that is not an event: its fields' bytes. */
export function unreadableText(r: BinaryRow): string {
  return JSON.stringify({ unreadable: rawFields(r) });
}

/** The row as the string path reads it. */
export function eventRow(r: BinaryRow): LedgerEventRow {
  const b = r.buffer;
  const at = r.at;
  return {
    position: int8Text(b, at[0]!),
    transactionId: xid8Text(b, at[1]!),
    eventId: uuidText(b, at[2]!),
    schemaVersion: b.readInt32BE(at[3]!),
    occurredAt: timestampMicros(b, at[4]!),
    recordedAt: timestampMicros(b, at[5]!),
    type: b.toString('utf8', at[6]!, at[6]! + r.length[6]!),
    tags: textArray(b, at[7]!),
    dataJson: jsonbText(b, at[8]!, r.length[8]!),
    metadataJson: jsonbText(b, at[9]!, r.length[9]!),
  };
}

/**
 * canonicalEvent's text as UTF-8, written from the row into one reused buffer (the view is valid
 * until the next event). NotJsonb for what it leaves to the string path: jsonb text it does not
 * expect, tags of more than one dimension.
 */
function canonicalEventBytes(r: BinaryRow): Buffer {
  const b = r.buffer;
  const at = r.at;
  const end = (i: number) => at[i]! + r.length[i]!;
  if (b[at[8]!] !== 1 || b[at[9]!] !== 1) throw new NotJsonb('unknown jsonb version');
  writer.reset();
  writer.ascii('{"data":');
  writer.jsonb(b, at[8]! + 1, end(8));
  writer.ascii(',"event_id":');
  writer.uuid(b, at[2]!);
  writer.ascii(',"metadata":');
  writer.jsonb(b, at[9]! + 1, end(9));
  writer.ascii(',"occurred_at":');
  instant(timestampMicros(b, at[4]!));
  writer.ascii(',"position":');
  integer(b, at[0]!, true);
  writer.ascii(',"recorded_at":');
  instant(timestampMicros(b, at[5]!));
  writer.ascii(',"schema_version":');
  const version = b.readInt32BE(at[3]!);
  if (version >= 0) writer.decimal(version, false);
  else writer.ascii(String(version));
  writer.ascii(',"tags":[');
  const tags = at[7]!;
  const dimensions = b.readInt32BE(tags);
  if (dimensions > 1) throw new NotJsonb('tags of more than one dimension');
  if (dimensions === 1) {
    const count = b.readInt32BE(tags + 12);
    let p = tags + 20;
    for (let i = 0; i < count; i++) {
      if (i > 0) writer.ascii(',');
      const length = b.readInt32BE(p);
      p += 4;
      if (length < 0) writer.ascii('null');
      else {
        writer.jsonString(b, p, p + length);
        p += length;
      }
    }
  }
  writer.ascii('],"transaction_id":');
  integer(b, at[1]!, false);
  writer.ascii(',"type":');
  writer.jsonString(b, at[6]!, end(6));
  writer.ascii('}');
  return writer.view();
}

function instant(value: number | string): void {
  if (typeof value === 'number') writer.isoMicros(value);
  else writer.ascii(JSON.stringify(value));
}

/** An int8 (or, unsigned, an xid8) as a quoted decimal string. */
function integer(b: Buffer, at: number, signed: boolean): void {
  const value = (signed ? b.readInt32BE(at) : b.readUInt32BE(at)) * 4_294_967_296 + b.readUInt32BE(at + 4);
  if (Number.isSafeInteger(value) && value >= 0) writer.decimal(value, true);
  else writer.ascii(`"${signed ? int8Text(b, at) : xid8Text(b, at)}"`);
}

function rawFields(r: BinaryRow): (string | null)[] {
  return Array.from({ length: r.fields }, (_, i) =>
    r.at[i]! < 0 ? null : r.buffer.toString('hex', r.at[i]!, r.at[i]! + r.length[i]!),
  );
}
