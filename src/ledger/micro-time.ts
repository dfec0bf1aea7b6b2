/**
 * Instants in the ledger are epoch microseconds, PostgreSQL's own precision: hashing an event's time
 * in milliseconds would let an edit of its last three digits go unseen. Microseconds since 1970 fit
 * a double exactly from 1685 to 2255; a stored time outside that is kept as the decimal text of its
 * microseconds. In canonical JSON an instant is written `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six
 * fractional digits, so each instant has one spelling.
 */
export type Micros = number;

export const HOUR_MICROS: Micros = 3_600_000_000;

/** @example isoMicros(1_700_000_000_123_456) // '2023-11-14T22:13:20.123456Z' */
export function isoMicros(micros: Micros): string {
  const days = Math.floor(micros / DAY_MICROS);
  if (!Number.isSafeInteger(micros)) throw new RangeError(`not an instant the ledger spells: ${micros}`);
  let rest = micros - days * DAY_MICROS;
  const hour = Math.floor(rest / 3_600_000_000);
  rest -= hour * 3_600_000_000;
  const minute = Math.floor(rest / 60_000_000);
  rest -= minute * 60_000_000;
  const second = Math.floor(rest / 1_000_000);
  return `${dateOf(days)}T${two(hour)}:${two(minute)}:${two(second)}.${String(rest - second * 1_000_000).padStart(6, '0')}Z`;
}

const DAY_MICROS = 86_400_000_000;

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * YYYY-MM-DD of a day counted from 1970-01-01 (Howard Hinnant's civil_from_days): arithmetic
 * instead of a Date and its toISOString, which were a tenth of verify's time. The last day asked
 * for is kept, as consecutive instants mostly fall on one day.
 */
export function dateOf(days: number): string {
  if (days === lastDay) return lastDate;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  lastDay = days;
  lastDate = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
  return lastDate;
}

let lastDay = Number.NaN;
let lastDate = '';

/** The inverse of isoMicros; anything not spelled exactly so is refused. */
export function parseIsoMicros(text: string): Micros {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})Z$/.exec(text);
  const micros = match ? Date.parse(`${match[1]}Z`) * 1000 + Number(match[2]) : Number.NaN;
  // Spelled back the same, or it was no instant (a 30th of February, an hour 24).
  if (Number.isSafeInteger(micros) && isoMicros(micros) === text) return micros;
  throw new RangeError(`not an instant in the ledger's spelling: ${JSON.stringify(text)}`);
}

export function microsOf(date: Date): Micros {
  return date.getTime() * 1000;
}

/** The first hour boundary strictly after `micros`: where the digest period open at `micros` ends. */
export function hourEnd(micros: Micros): Micros {
  return (Math.floor(micros / HOUR_MICROS) + 1) * HOUR_MICROS;
}

/**
 * SQL for a timestamptz column as epoch microseconds in decimal text, exact (extract returns numeric
 * since PostgreSQL 14). `infinity` cannot be a number, so it comes out as itself and later fails to
 * hash as the original did, instead of failing the whole read.
 */
export function microsSql(column: string): string {
  return `CASE WHEN isfinite(${column}) THEN (extract(epoch FROM ${column}) * 1000000)::bigint::text ELSE ${column}::text END`;
}
