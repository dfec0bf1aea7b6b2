import { canonicalJsonText } from './canonical-json';
import { JsonbBytes, NotJsonb } from './jsonb-bytes';
import { dateOf } from './micro-time';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const COLON = 0x3a;
const HEX = '0123456789abcdef';

/**
 * Writes canonical JSON (RFC 8785) as UTF-8 bytes into one reused buffer, from the bytes PostgreSQL
 * sends: an event is never decoded into JavaScript strings, re-encoded, or left behind for the
 * collector. jsonb's text goes through JsonbBytes (jsonb-bytes.ts); the rest are the primitives an
 * event's canonical form is made of (ledger-event.ts says which, verify/binary-copy/binary-event.ts
 * writes one).
 */
export class CanonicalBytes {
  /** The bytes so far are out[0 .. length); JsonbBytes writes there directly. */
  out = Buffer.allocUnsafe(1 << 16);
  length = 0;
  private readonly jsonbWriter = new JsonbBytes(this);

  reset(): void {
    this.length = 0;
  }

  /** The bytes written since the last reset (valid until the next write). */
  view(): Buffer {
    return this.out.subarray(0, this.length);
  }

  /** An ASCII string, as it is. */
  ascii(text: string): void {
    this.ensure(text.length);
    const out = this.out;
    let n = this.length;
    for (let i = 0; i < text.length; i++) out[n++] = text.charCodeAt(i);
    this.length = n;
  }

  /** Raw UTF-8 text as a JSON string, escaped as JSON.stringify escapes it. */
  jsonString(src: Buffer, start: number, end: number): void {
    this.ensure(2 + 6 * (end - start));
    const out = this.out;
    let n = this.length;
    out[n++] = QUOTE;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c >= SPACE && c !== QUOTE && c !== BACKSLASH) out[n++] = c;
      else {
        out[n++] = BACKSLASH;
        if (c === QUOTE || c === BACKSLASH) out[n++] = c;
        else if (c === 0x08)
          out[n++] = 0x62; // b
        else if (c === 0x09)
          out[n++] = 0x74; // t
        else if (c === 0x0a)
          out[n++] = 0x6e; // n
        else if (c === 0x0c)
          out[n++] = 0x66; // f
        else if (c === 0x0d)
          out[n++] = 0x72; // r
        else {
          n += out.write(`u00${HEX[c >> 4]}${HEX[c & 15]}`, n, 'latin1');
        }
      }
    }
    out[n++] = QUOTE;
    this.length = n;
  }

  /** A JSON string of an instant as isoMicros spells it, written digit by digit (no string made). */
  isoMicros(micros: number): void {
    if (!Number.isSafeInteger(micros)) throw new RangeError(`not an instant the ledger spells: ${micros}`);
    const days = Math.floor(micros / 86_400_000_000);
    let rest = micros - days * 86_400_000_000;
    this.ensure(28);
    const out = this.out;
    let n = this.length;
    out[n++] = QUOTE;
    n += out.write(dateOf(days), n, 'latin1');
    out[n++] = 0x54; // T
    const hour = Math.floor(rest / 3_600_000_000);
    rest -= hour * 3_600_000_000;
    const minute = Math.floor(rest / 60_000_000);
    rest -= minute * 60_000_000;
    const second = Math.floor(rest / 1_000_000);
    rest -= second * 1_000_000;
    n = digits(out, n, hour, 2);
    out[n++] = COLON;
    n = digits(out, n, minute, 2);
    out[n++] = COLON;
    n = digits(out, n, second, 2);
    out[n++] = 0x2e; // .
    n = digits(out, n, rest, 6);
    out[n++] = 0x5a; // Z
    out[n++] = QUOTE;
    this.length = n;
  }

  /** A non-negative safe integer in decimal, quoted when asked. */
  decimal(value: number, quoted: boolean): void {
    this.ensure(18);
    const out = this.out;
    let n = this.length;
    if (quoted) out[n++] = QUOTE;
    let width = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) width += 1;
    n = digits(out, n, value, width);
    if (quoted) out[n++] = QUOTE;
    this.length = n;
  }

  /** A uuid's 16 bytes as PostgreSQL prints it, quoted. */
  uuid(src: Buffer, at: number): void {
    this.ensure(38);
    const out = this.out;
    let n = this.length;
    out[n++] = QUOTE;
    for (let i = 0; i < 16; i++) {
      if (i === 4 || i === 6 || i === 8 || i === 10) out[n++] = 0x2d; // -
      const b = src[at + i]!;
      out[n++] = HEX.charCodeAt(b >> 4);
      out[n++] = HEX.charCodeAt(b & 15);
    }
    out[n++] = QUOTE;
    this.length = n;
  }

  /** jsonb's text (UTF-8, src[start..end]) in canonical form; NotJsonb for anything else. */
  jsonb(src: Buffer, start: number, end: number): void {
    this.jsonbWriter.write(src, start, end);
  }

  /** Room for `extra` more bytes (out may be replaced). */
  ensure(extra: number): void {
    if (this.length + extra <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.out.length, this.length + extra));
    this.out.copy(grown, 0, 0, this.length);
    this.out = grown;
  }

  put(byte: number): void {
    if (this.length >= this.out.length) this.ensure(1);
    this.out[this.length++] = byte;
  }
}

/** Writes `value` as `width` decimal digits, zero-padded, at out[n]; returns the end. */
function digits(out: Buffer, n: number, value: number, width: number): number {
  for (let i = n + width - 1; i >= n; i--) {
    const next = Math.floor(value / 10);
    out[i] = 0x30 + (value - next * 10);
    value = next;
  }
  return n + width;
}

const textSink = new CanonicalBytes();

/**
 * canonicalJsonText of the JSON text jsonb prints (the sequencer's read of data and metadata),
 * through the same JsonbBytes verify uses, so both hash what one canonicaliser wrote; any other
 * text is parsed and canonicalised.
 */
export function canonicalJsonbText(json: string): string {
  const bytes = Buffer.from(json);
  textSink.reset();
  try {
    textSink.jsonb(bytes, 0, bytes.length);
    return textSink.view().toString('utf8');
  } catch (error) {
    if (!(error instanceof NotJsonb)) throw error;
    return canonicalJsonText(json);
  }
}
