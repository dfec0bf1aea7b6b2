/**
 * Cuts CloudTrail files into their records as bytes arrive, without parsing what it need not: the
 * elements of the top-level `Records` array (a log file as delivered to S3) or `Events` array (saved
 * `aws cloudtrail lookup-events` output), or the lines of a JSON Lines file. Memory holds one record
 * and one chunk, whatever the file's size. Which records to parse is the caller's choice: most of a
 * trail is other services' records, skipped by a byte search before any JSON.parse.
 *
 * A byte scanner over UTF-8: every byte it looks at (quotes, backslashes, brackets, braces, newlines)
 * is ASCII, and ASCII bytes never occur inside a multi-byte character, so no character is cut wrong.
 */

/** The shapes a CloudTrail file comes in. */
export type FileShape = 'records' | 'events' | 'lines';

/** A file that is not CloudTrail, or is cut short: said with where (record number, byte offset). */
export class SplitError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const COLON = 0x3a;

/** CloudTrail's records are kilobytes (a request's parameters at most); no record is longer than this. */
const MAX_RECORD_BYTES = 32 << 20;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Where the scanner is: before the array, in it between records, in a record, or after it. */
type Phase = 'start' | 'key' | 'colon' | 'array' | 'record' | 'after' | 'lines';

/**
 * An incremental splitter: `push` each chunk in order, then `end`; each returns the complete records
 * found so far (as Buffers of their JSON text). The shape is found from the first bytes: an object
 * whose first member is `Records` or `Events` holding an array, else JSON Lines.
 */
export class RecordSplitter {
  private phase: Phase = 'start';
  /** The shape once known. */
  shape: FileShape | undefined;
  /** Records returned so far. */
  count = 0;
  private offset = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The bytes of the record (or, at the start, of the first key) being read. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingStart = 0;

  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (this.phase === 'record' || this.phase === 'lines') i = this.scanRecord(chunk, i, out);
      else i = this.scanOutside(chunk, i);
    }
    if (this.phase === 'record' || this.phase === 'lines') this.keep(chunk, chunk.length);
    this.offset += chunk.length;
    return out;
  }

  /** The file ended: the last line of JSON Lines, or an error if a record or the array was cut short. */
  end(): Buffer[] {
    if (this.phase === 'lines') {
      const last = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      if (this.depth !== 0 || this.inString) throw this.cut();
      return last.toString('utf8').trim() === '' ? [] : [this.record(last)];
    }
    if (this.phase === 'start') throw new SplitError('the file is empty: no CloudTrail records');
    if (this.phase !== 'after') throw this.cut();
    return [];
  }

  private cut(): SplitError {
    return new SplitError(`the file ends inside record ${this.count + 1} (truncated JSON)`);
  }

  private record(bytes: Buffer): Buffer {
    this.count++;
    return bytes;
  }

  /** Keeps the bytes of the record being read, from its start (or the chunk's) to `end`. */
  private keep(chunk: Buffer, end: number): void {
    if (end > this.pendingStart) {
      this.pending.push(chunk.subarray(this.pendingStart, end));
      this.pendingBytes += end - this.pendingStart;
      // A record that never ends (a file that is not CloudTrail) would otherwise fill memory.
      if (this.pendingBytes > MAX_RECORD_BYTES)
        throw new SplitError(`record ${this.count + 1} is longer than ${MAX_RECORD_BYTES >> 20} MB: not CloudTrail`);
    }
    this.pendingStart = 0;
  }

  /** Outside records: the opening object, its first key, the array's brackets and commas. */
  private scanOutside(chunk: Buffer, from: number): number {
    let i = from;
    for (; i < chunk.length; i++) {
      const byte = chunk[i]!;
      switch (this.phase) {
        case 'start':
          if (isSpace(byte)) continue;
          if (byte !== OPEN_BRACE) throw new SplitError('not CloudTrail: the file does not start with a JSON object');
          this.phase = 'key';
          this.pending = [chunk.subarray(i, i + 1)];
          continue;
        case 'key': {
          // The first member's name decides the shape: collect up to its closing quote.
          this.pending.push(chunk.subarray(i, i + 1));
          const text = Buffer.concat(this.pending).toString('utf8');
          const name = /^\{\s*"([A-Za-z]*)"/.exec(text);
          if (name) {
            if (name[1] === 'Records' || name[1] === 'Events') {
              this.shape = name[1] === 'Records' ? 'records' : 'events';
              this.phase = 'colon';
              this.pending = [];
              this.pendingBytes = 0;
            } else {
              // A record per line: the bytes so far begin the first one.
              this.shape = 'lines';
              this.phase = 'lines';
              this.depth = 1;
              this.inString = false;
              const started = Buffer.concat(this.pending);
              this.pending = [started];
              this.pendingStart = i + 1;
              return i + 1;
            }
          } else if (text.length > 64 || !/^\{\s*("[A-Za-z]*)?$/.test(text))
            throw new SplitError('not CloudTrail: the first member is neither Records nor Events, nor a record');
          continue;
        }
        case 'colon':
          if (isSpace(byte) || byte === COLON) continue;
          if (byte !== OPEN_BRACKET)
            throw new SplitError(`not CloudTrail: ${this.shape === 'records' ? 'Records' : 'Events'} is not an array`);
          this.phase = 'array';
          continue;
        case 'array':
          if (isSpace(byte) || byte === COMMA) continue;
          if (byte === CLOSE_BRACKET) {
            this.phase = 'after';
            continue;
          }
          if (byte !== OPEN_BRACE)
            throw new SplitError(`not CloudTrail: record ${this.count + 1} is not a JSON object`);
          this.phase = 'record';
          this.depth = 0;
          this.pending = [];
          this.pendingBytes = 0;
          this.pendingStart = i;
          return i;
        case 'after':
          // The rest of the object (NextToken of lookup-events output, the closing brace): not read.
          return chunk.length;
      }
    }
    return i;
  }

  /** Inside a record (or a line): to its end, where it is cut out; returns where scanning stopped. */
  private scanRecord(chunk: Buffer, from: number, out: Buffer[]): number {
    const lines = this.phase === 'lines';
    // The hot loop of an import: state in locals, written back whenever it leaves.
    let { depth, inString, escaped } = this;
    const save = () => {
      this.depth = depth;
      this.inString = inString;
      this.escaped = escaped;
    };
    let i = from;
    while (i < chunk.length) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        // Most of a record's bytes are inside strings: jump to the next quote, and count the
        // backslashes before it (an odd run escapes it).
        const quote = chunk.indexOf(QUOTE, i);
        const stop = quote < 0 ? chunk.length : quote;
        let backslashes = 0;
        for (let j = stop - 1; j >= i && chunk[j] === BACKSLASH; j--) backslashes++;
        if (quote < 0) {
          escaped = backslashes % 2 === 1;
          i = chunk.length;
        } else if (backslashes % 2 === 1) i = quote + 1;
        else {
          inString = false;
          i = quote + 1;
        }
        continue;
      }
      const byte = chunk[i]!;
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth < 0) throw new SplitError(`not CloudTrail: unbalanced JSON in record ${this.count + 1}`);
        if (depth === 0 && !lines) {
          save();
          out.push(this.record(this.take(chunk, i + 1)));
          this.phase = 'array';
          return i + 1;
        }
      } else if (lines && byte === NEWLINE && depth === 0) {
        const line = this.take(chunk, i);
        this.pendingStart = i + 1;
        if (line.toString('utf8').trim() !== '') out.push(this.record(line));
      }
      i++;
    }
    save();
    return chunk.length;
  }

  /**
   * The record read so far, ending at `end` of this chunk: a view of the chunk when it lies within it
   * (no copy: chunks are not reused), else its pieces joined.
   */
  private take(chunk: Buffer, end: number): Buffer {
    if (this.pending.length === 0) {
      const whole = chunk.subarray(this.pendingStart, end);
      this.pendingStart = 0;
      return whole;
    }
    this.keep(chunk, end);
    const joined = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return joined;
  }
}
