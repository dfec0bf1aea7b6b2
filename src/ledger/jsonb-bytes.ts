import type { CanonicalBytes } from './canonical-bytes';

/**
 * Canonical JSON (canonical-json.ts) of the JSON text jsonb prints, written from its UTF-8 bytes into
 * a CanonicalBytes without building the value: parsing each event's data and metadata, sorting
 * copies and printing them again was most of verify's time. jsonb's text is a narrow dialect:
 *
 * - strings are escaped exactly as RFC 8785 (JSON.stringify) escapes them: PostgreSQL's escape_json
 *   writes \" \\ \b \f \n \r \t, \u00xx in lower case for other control characters, everything
 *   else as it is, and a jsonb string cannot hold a lone surrogate. So strings are copied as they
 *   stand (a string with any other escape is refused);
 * - numbers are numeric's text: integers of up to 15 digits read the same as ECMAScript writes
 *   them; any other number (1.50, 1e+21, 2^53 and beyond) is rewritten through Number;
 * - `: ` and `, ` between tokens, which canonical form drops; members in jsonb's order (by length,
 *   then bytes), which is re-sorted by UTF-16 code units.
 *
 * Member names are compared as bytes while they are ASCII and free of escapes, which orders them
 * as UTF-16 code units do; an object with any other name has its names decoded and compared as
 * strings. On anything else (other whitespace, a name twice, a syntax error) it throws NotJsonb,
 * and the caller canonicalises the parsed value instead (canonicalJsonbText in canonical-bytes.ts);
 * the specs hold both to canonicalJson's result.
 */
export class NotJsonb extends Error {
  override readonly name = 'NotJsonb';
}

const NOT_JSONB = new NotJsonb('not jsonb text');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export class JsonbBytes {
  private scratch = Buffer.allocUnsafe(1 << 16);
  /** Per member of the objects being written: where its name starts and ends, and where it ends. */
  private marks = new Int32Array(3 * 1024);
  private markTop = 0;
  private src: Buffer = this.scratch;
  private at = 0;
  private end = 0;

  constructor(private readonly sink: CanonicalBytes) {}

  write(src: Buffer, start: number, end: number): void {
    this.src = src;
    this.at = start;
    this.end = end;
    this.markTop = 0;
    this.sink.ensure(end - start);
    this.value();
    if (this.at !== end) throw NOT_JSONB;
  }

  private value(): void {
    const c = this.src[this.at];
    if (c === QUOTE) this.string();
    else if (c === OPEN_BRACE) this.object();
    else if (c === OPEN_BRACKET) this.array();
    else this.scalar();
  }

  private object(): void {
    const src = this.src;
    this.at += 1;
    this.sink.put(OPEN_BRACE);
    if (src[this.at] === CLOSE_BRACE) {
      this.at += 1;
      this.sink.put(CLOSE_BRACE);
      return;
    }
    const base = this.markTop;
    const bodyStart = this.sink.length;
    let sorted = true;
    let plainNames = true;
    for (;;) {
      if (src[this.at] !== QUOTE) throw NOT_JSONB;
      const nameStart = this.sink.length;
      if (this.string()) plainNames = false;
      const nameEnd = this.sink.length;
      if (src[this.at] !== COLON || src[this.at + 1] !== SPACE) throw NOT_JSONB;
      this.at += 2;
      this.sink.put(COLON);
      this.value();
      this.mark(nameStart, nameEnd, this.sink.length);
      const count = (this.markTop - base) / 3;
      if (count > 1 && plainNames) {
        const order = this.compareNames(this.markTop - 6, this.markTop - 3);
        if (order === 0) throw NOT_JSONB; // a name twice
        if (order > 0) sorted = false;
      }
      const c = src[this.at];
      if (c === CLOSE_BRACE) {
        this.at += 1;
        break;
      }
      if (c !== COMMA || src[this.at + 1] !== SPACE) throw NOT_JSONB;
      this.at += 2;
      this.sink.put(COMMA);
    }
    if (!plainNames) this.sortByDecodedNames(base, bodyStart);
    else if (!sorted) this.rewriteInOrder(base, bodyStart, this.orderByBytes(base));
    this.markTop = base;
    this.sink.put(CLOSE_BRACE);
  }

  private mark(nameStart: number, nameEnd: number, memberEnd: number): void {
    if (this.markTop + 3 > this.marks.length) {
      const grown = new Int32Array(2 * this.marks.length);
      grown.set(this.marks);
      this.marks = grown;
    }
    this.marks[this.markTop++] = nameStart;
    this.marks[this.markTop++] = nameEnd;
    this.marks[this.markTop++] = memberEnd;
  }

  /** Compares two written names (quoted, ASCII, unescaped) byte by byte. */
  private compareNames(a: number, b: number): number {
    const out = this.sink.out;
    const m = this.marks;
    let i = m[a]! + 1;
    let j = m[b]! + 1;
    const iEnd = m[a + 1]! - 1;
    const jEnd = m[b + 1]! - 1;
    for (; i < iEnd && j < jEnd; i++, j++) {
      const d = out[i]! - out[j]!;
      if (d !== 0) return d;
    }
    return iEnd - i - (jEnd - j);
  }

  private orderByBytes(base: number): number[] {
    const order: number[] = [];
    for (let k = base; k < this.markTop; k += 3) {
      let i = order.length;
      while (i > 0 && this.compareNames(order[i - 1]!, k) > 0) i -= 1;
      if (i > 0 && this.compareNames(order[i - 1]!, k) === 0) throw NOT_JSONB; // a name twice
      order.splice(i, 0, k);
    }
    return order;
  }

  private sortByDecodedNames(base: number, bodyStart: number): void {
    const names = new Map<number, string>();
    for (let k = base; k < this.markTop; k += 3)
      names.set(k, JSON.parse(this.sink.out.toString('utf8', this.marks[k]!, this.marks[k + 1]!)) as string);
    const order = [...names.keys()].sort((a, b) =>
      names.get(a)! < names.get(b)! ? -1 : names.get(a)! > names.get(b)! ? 1 : 0,
    );
    for (let i = 1; i < order.length; i++) if (names.get(order[i - 1]!) === names.get(order[i]!)) throw NOT_JSONB;
    this.rewriteInOrder(base, bodyStart, order);
  }

  /** Moves the object's members (written from bodyStart, comma-separated) into `order`. */
  private rewriteInOrder(base: number, bodyStart: number, order: readonly number[]): void {
    const size = this.sink.length - bodyStart;
    if (this.scratch.length < size) this.scratch = Buffer.allocUnsafe(2 * size);
    if (size > 256) this.sink.out.copy(this.scratch, 0, bodyStart, this.sink.length);
    else for (let j = 0; j < size; j++) this.scratch[j] = this.sink.out[bodyStart + j]!;
    let n = bodyStart;
    const out = this.sink.out;
    const scratch = this.scratch;
    for (let i = 0; i < order.length; i++) {
      if (i > 0) out[n++] = COMMA;
      const k = order[i]!;
      const from = this.marks[k]! - bodyStart;
      const to = this.marks[k + 2]! - bodyStart;
      // Members are short: a loop is cheaper than a native copy's call.
      if (to - from > 64) n += scratch.copy(out, n, from, to);
      else for (let j = from; j < to; j++) out[n++] = scratch[j]!;
    }
    this.sink.length = n;
  }

  private array(): void {
    const src = this.src;
    this.at += 1;
    this.sink.put(OPEN_BRACKET);
    if (src[this.at] === CLOSE_BRACKET) {
      this.at += 1;
      this.sink.put(CLOSE_BRACKET);
      return;
    }
    for (;;) {
      this.value();
      const c = src[this.at];
      if (c === CLOSE_BRACKET) {
        this.at += 1;
        break;
      }
      if (c !== COMMA || src[this.at + 1] !== SPACE) throw NOT_JSONB;
      this.at += 2;
      this.sink.put(COMMA);
    }
    this.sink.put(CLOSE_BRACKET);
  }

  /** Copies a string as it stands; true when it holds anything but ASCII without escapes. */
  private string(): boolean {
    const src = this.src;
    const start = this.at;
    let close = src.indexOf(QUOTE, start + 1);
    for (;;) {
      if (close < 0 || close >= this.end) throw NOT_JSONB;
      let backslashes = 0;
      while (src[close - 1 - backslashes] === BACKSLASH) backslashes += 1;
      if (backslashes % 2 === 0) break;
      close = src.indexOf(QUOTE, close + 1);
    }
    const end = close + 1;
    let special = false;
    const out = this.sink.out;
    let n = this.sink.length;
    if (end - start <= 48) {
      for (let i = start; i < end; i++) {
        const c = src[i]!;
        if (c >= 0x80 || c === BACKSLASH) special = true;
        out[n++] = c;
      }
    } else {
      n += src.copy(out, n, start, end);
      for (let i = start; i < end && !special; i++) if (src[i]! >= 0x80 || src[i] === BACKSLASH) special = true;
    }
    if (special) {
      const backslash = src.indexOf(BACKSLASH, start);
      if (backslash >= 0 && backslash < close && !canonicalEscapes(src, start, close)) throw NOT_JSONB;
    }
    this.sink.length = n;
    this.at = end;
    return special;
  }

  private scalar(): void {
    const src = this.src;
    const start = this.at;
    let i = start;
    let digitsOnly = true;
    for (; i < this.end; i++) {
      const c = src[i]!;
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET) break;
      if ((c < 0x30 || c > 0x39) && !(c === 0x2d && i === start)) digitsOnly = false;
    }
    this.at = i;
    const length = i - start;
    const negative = src[start] === 0x2d;
    const digits = length - (negative ? 1 : 0);
    if (digitsOnly && digits >= 1 && digits <= 15 && (digits === 1 || src[start + (negative ? 1 : 0)] !== 0x30)) {
      if (negative && digits === 1 && src[start + 1] === 0x30) return this.sink.ascii('0'); // -0
      this.sink.ensure(length);
      this.sink.length += src.copy(this.sink.out, this.sink.length, start, i);
      return;
    }
    const token = src.toString('latin1', start, i);
    if (token === 'true' || token === 'false' || token === 'null') return this.sink.ascii(token);
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(token)) throw NOT_JSONB;
    const number = Number(token);
    if (!Number.isFinite(number)) throw NOT_JSONB;
    this.sink.ascii(String(number));
  }
}

/** Whether every escape in src[start..close) is one JSON.stringify writes. */
function canonicalEscapes(src: Buffer, start: number, close: number): boolean {
  for (let i = src.indexOf(BACKSLASH, start); i >= 0 && i < close; i = src.indexOf(BACKSLASH, i + 2)) {
    const next = src[i + 1];
    if (next === 0x75) {
      // \u00XX for a control character without a short escape
      const hex = src.toString('latin1', i + 2, i + 6);
      if (!/^00[01][0-9a-f]$/.test(hex) || ['0008', '0009', '000a', '000c', '000d'].includes(hex)) return false;
      i += 4;
    } else if (next === undefined || !'"\\bfnrt'.includes(String.fromCharCode(next))) return false;
  }
  return true;
}
