/** Value formats of CloudTrail records (docs/kms-behaviour.md#cloudtrail-records). */

/** Request and response members in lowerCamelCase: `AliasName` → `aliasName`, `AWSAccountId` → `aWSAccountId`. */
export function lowerCamel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, member]) => [
      name.charAt(0).toLowerCase() + name.slice(1),
      USER_MAPS.has(name) ? member : lowerCamel(member),
    ]),
  );
}

/**
 * Members whose names are the caller's own (an encryption context's keys), recorded as sent
 * (docs/kms-behaviour.md#cloudtrail-records).
 */
const USER_MAPS: ReadonlySet<string> = new Set([
  'EncryptionContext',
  'SourceEncryptionContext',
  'DestinationEncryptionContext',
  'EncryptionContextSubset',
  'EncryptionContextEquals',
]);

/** `eventTime`: UTC ISO-8601 to the second, `2022-08-14T23:08:31Z`. */
export const eventTimeOf = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Dates inside responseElements, as KMS records write them: `Aug 10, 2022, 10:38:27 PM` (UTC). */
export function responseDateOf(date: Date): string {
  const hours = date.getUTCHours();
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ` +
    `${hours % 12 === 0 ? 12 : hours % 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ` +
    (hours < 12 ? 'AM' : 'PM')
  );
}
