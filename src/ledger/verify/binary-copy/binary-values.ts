/**
 * Values of PostgreSQL's binary send format, read in place from a COPY row (`b`, at offset `at`):
 * the same values the text path reads (see the integration test that compares the two), without
 * PostgreSQL printing them and without a Buffer per field.
 */

/** Microseconds from 1970 to 2000-01-01, PostgreSQL's epoch. */
const PG_EPOCH_MICROS = 946_684_800_000_000;

/** int8 as a decimal string. */
export function int8Text(b: Buffer, at: number): string {
  const high = b.readInt32BE(at);
  const value = high * 4_294_967_296 + b.readUInt32BE(at + 4);
  return Number.isSafeInteger(value) ? String(value) : b.readBigInt64BE(at).toString();
}

/** xid8 (unsigned 64-bit) as a decimal string. */
export function xid8Text(b: Buffer, at: number): string {
  const value = b.readUInt32BE(at) * 4_294_967_296 + b.readUInt32BE(at + 4);
  return Number.isSafeInteger(value) ? String(value) : b.readBigUInt64BE(at).toString();
}

/** uuid as PostgreSQL prints it: lower-case hex in 8-4-4-4-12 groups. */
export function uuidText(b: Buffer, at: number): string {
  return (
    `${b.toString('hex', at, at + 4)}-${b.toString('hex', at + 4, at + 6)}-${b.toString('hex', at + 6, at + 8)}-` +
    `${b.toString('hex', at + 8, at + 10)}-${b.toString('hex', at + 10, at + 16)}`
  );
}

/** timestamptz as epoch microseconds, or `infinity`/`-infinity` as PostgreSQL prints them. */
export function timestampMicros(b: Buffer, at: number): number | string {
  const high = b.readInt32BE(at);
  const low = b.readUInt32BE(at + 4);
  if (high === 0x7fffffff && low === 0xffffffff) return 'infinity';
  if (high === -0x80000000 && low === 0) return '-infinity';
  const micros = high * 4_294_967_296 + low + PG_EPOCH_MICROS;
  // Beyond 2^53 a double is not exact: such a time (past the year 200,000) is kept as text.
  return Number.isSafeInteger(micros) ? micros : (b.readBigInt64BE(at) + BigInt(PG_EPOCH_MICROS)).toString();
}

/** jsonb's binary form is a version byte (1) and then the very text jsonb_out prints. */
export function jsonbText(b: Buffer, at: number, length: number): string {
  if (b[at] !== 1) throw new Error(`unknown jsonb binary version ${b[at]}`);
  return b.toString('utf8', at + 1, at + length);
}

/** A text[] as JSON reads to_json's text of it: nested for more dimensions, bounds dropped, NULL as null. */
export function textArray(b: Buffer, at: number): unknown[] {
  const dimensions = b.readInt32BE(at);
  if (dimensions === 0) return [];
  let p = at + 12;
  const sizes: number[] = [];
  for (let d = 0; d < dimensions; d++, p += 8) sizes.push(b.readInt32BE(p));
  let total = 1;
  for (const size of sizes) total *= size;
  const items: (string | null)[] = new Array(total);
  for (let i = 0; i < total; i++) {
    const length = b.readInt32BE(p);
    p += 4;
    if (length < 0) items[i] = null;
    else {
      items[i] = b.toString('utf8', p, p + length);
      p += length;
    }
  }
  if (dimensions === 1) return items;
  const nest = (from: number, d: number): unknown[] => {
    if (d === dimensions - 1) return items.slice(from, from + sizes[d]!);
    let stride = 1;
    for (const size of sizes.slice(d + 1)) stride *= size;
    return Array.from({ length: sizes[d]! }, (_, k) => nest(from + k * stride, d + 1));
  };
  return nest(0, 0);
}
