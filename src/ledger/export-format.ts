import type { ChainLink } from './hash-chain';
import { canonicalJson, canonicalJsonText } from './canonical-json';
import { LEDGER_FORMAT, type SignedDigest, digestDocument, digestOf } from './digest';
import { type Micros, parseIsoMicros } from './micro-time';

/**
 * The export's files, all of them text: `ledger.jsonl` (one ledger entry per line, in ledger order,
 * with the event it names in exactly the canonical text that was hashed), `digests.jsonl` (each
 * digest's signed document plus its signature), `strays.jsonl` (events behind the ledger's head
 * that no entry names: evidence of insertion) and `manifest.json`. Nothing in them is trusted by
 * the offline verifier except through the hashes and the signatures.
 */
export const EXPORT_FILES = {
  ledger: 'ledger.jsonl',
  digests: 'digests.jsonl',
  strays: 'strays.jsonl',
  manifest: 'manifest.json',
} as const;

export interface ExportManifest {
  readonly format: string;
  readonly exported_at: string;
  readonly entries: number;
  readonly digests: number;
  readonly strays: number;
  readonly head: { readonly ledger_seq: number; readonly transaction_id: string; readonly position: string };
  /** How many digests the sequencer's own row says it wrote (a check, as online). */
  readonly state_digest_seq: number;
}

export interface LedgerLine extends ChainLink {
  readonly seq: number;
  /** isoMicros, or `unreadable` when what is stored is not an instant. */
  readonly sequencedAt: string;
  /** The event's canonical JSON text; null when no event stood at the position. */
  readonly event: string | null;
}

/**
 * One line of ledger.jsonl. The event goes last and verbatim, so the verifier hashes the bytes of
 * the line without parsing and re-serialising them (what makes offline verify fast).
 */
export function ledgerLine(line: LedgerLine): string {
  return (
    `{"ledger_seq":${line.seq},"position":${JSON.stringify(line.position)},"transaction_id":${JSON.stringify(line.transactionId)}` +
    `,"event_id":${JSON.stringify(line.eventId)},"event_hash":"${line.eventHash}","prev_hash":"${line.prevHash}"` +
    `,"entry_hash":"${line.entryHash}","sequenced_at":${JSON.stringify(line.sequencedAt)},"event":${line.event ?? 'null'}}`
  );
}

const LINE_HEAD =
  /^\{"ledger_seq":(\d+),"position":"(-?\d+)","transaction_id":"(\d+)","event_id":"([^"\\]*)","event_hash":"([0-9a-f]{64})","prev_hash":"([0-9a-f]{64})","entry_hash":"([0-9a-f]{64})","sequenced_at":"([^"\\]*)","event":/;

/**
 * Reads a line of ledger.jsonl: as written, by its fixed head and the raw event after it; a line
 * that someone reformatted, through JSON.parse (its event then canonicalised again).
 */
export function parseLedgerLine(text: string): LedgerLine {
  const head = LINE_HEAD.exec(text);
  if (head && text.endsWith('}')) {
    const event = text.slice(head[0].length, -1);
    return { ...headFields(head), event: event === 'null' ? null : event };
  }
  const value = JSON.parse(text) as Record<string, unknown>;
  const string = (name: string) =>
    typeof value[name] === 'string' ? (value[name] as string) : String(value[name] ?? '');
  return {
    seq: Number(value.ledger_seq),
    position: string('position'),
    transactionId: string('transaction_id'),
    eventId: string('event_id'),
    eventHash: string('event_hash'),
    prevHash: string('prev_hash'),
    entryHash: string('entry_hash'),
    sequencedAt: string('sequenced_at'),
    event: value.event === null || value.event === undefined ? null : canonicalJson(value.event),
  };
}

/** A ledger line whose event is left as bytes (the `event` member's range in `buffer`, or null). */
export interface LedgerLineBytes extends Omit<LedgerLine, 'event'> {
  readonly eventStart: number;
  readonly eventEnd: number;
}

/**
 * Reads a line of ledger.jsonl in place: only its head (ASCII as written) is decoded; the event is
 * a byte range, hashed as it stands. Undefined for a line not as ledgerLine writes it.
 */
export function parseLedgerLineBytes(buffer: Buffer, start: number, end: number): LedgerLineBytes | undefined {
  const headText = buffer.toString('latin1', start, Math.min(end, start + 512));
  const head = LINE_HEAD.exec(headText);
  if (!head || buffer[end - 1] !== 0x7d || /[^\x00-\x7f]/.test(head[0])) return undefined;
  const eventStart = start + head[0].length;
  const eventEnd = end - 1;
  const isNull = eventEnd - eventStart === 4 && buffer.toString('latin1', eventStart, eventEnd) === 'null';
  return { ...headFields(head), eventStart: isNull ? -1 : eventStart, eventEnd: isNull ? -1 : eventEnd };
}

/** The fields of a line's head, as LINE_HEAD matched them. */
function headFields(head: RegExpExecArray): Omit<LedgerLine, 'event'> {
  return {
    seq: Number(head[1]),
    position: head[2]!,
    transactionId: head[3]!,
    eventId: head[4]!,
    eventHash: head[5]!,
    prevHash: head[6]!,
    entryHash: head[7]!,
    sequencedAt: head[8]!,
  };
}

const OCCURRED_AT = Buffer.from('"occurred_at":"');

/** occurredAtOf over an event's bytes. */
export function occurredAtOfBytes(buffer: Buffer, start: number, end: number): Micros | null {
  const at = buffer.lastIndexOf(OCCURRED_AT, end);
  if (at < start) return null;
  const from = at + OCCURRED_AT.length;
  try {
    return parseIsoMicros(buffer.toString('latin1', from, Math.min(end, from + 27)));
  } catch {
    return null;
  }
}

/** An event's time from its canonical text: the top-level member, which comes after data and metadata. */
export function occurredAtOf(canonical: string): Micros | null {
  const bytes = Buffer.from(canonical);
  return occurredAtOfBytes(bytes, 0, bytes.length);
}

/** Parses and canonicalises an event text: for one that is not canonical as it stands. */
export function recanonicalised(text: string): string | null {
  try {
    return canonicalJsonText(text);
  } catch {
    return null;
  }
}

export function digestLine(digest: SignedDigest): string {
  return `${digestDocument(digest).slice(0, -1)},"signature":"${digest.signature}"}`;
}

export function parseDigestLine(text: string): SignedDigest {
  return digestOf(JSON.parse(text) as Record<string, unknown>, (value) => {
    try {
      return parseIsoMicros(String(value));
    } catch {
      return Number.NaN; // not as signed: the signature check fails on it
    }
  });
}

export interface StrayLine {
  readonly position: string;
  readonly transactionId: string;
  readonly eventId: string;
  readonly event: string;
}

export function strayLine(stray: StrayLine): string {
  return `{"position":${JSON.stringify(stray.position)},"transaction_id":${JSON.stringify(stray.transactionId)},"event_id":${JSON.stringify(stray.eventId)},"event":${stray.event}}`;
}

export function parseStrayLine(text: string): StrayLine {
  const v = JSON.parse(text) as { position: string; transaction_id: string; event_id: string; event: unknown };
  return {
    position: String(v.position),
    transactionId: String(v.transaction_id),
    eventId: String(v.event_id),
    event: canonicalJson(v.event),
  };
}

export function manifestOf(parts: Omit<ExportManifest, 'format'>): ExportManifest {
  return { format: LEDGER_FORMAT, ...parts };
}
