/**
 * At most `max` characters of `value` (JSON-encoded unless a string), printable ASCII only: what a
 * log line may show of a record a client wrote. Anything else becomes `?`, so a log line carries
 * no control characters, no terminal escapes and no half of a surrogate pair.
 *
 * @example logExcerpt({ AliasName: 'alias/lone\ud800' }, 40) // '{"AliasName":"alias/lone\\ud800"}'
 */
export function logExcerpt(value: unknown, max = 160): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = '(not serialisable)';
  }
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(/[^\x20-\x7e…]/g, '?');
}
