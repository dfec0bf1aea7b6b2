/** `\u0000` or a surrogate escape, after an even number of backslashes (so not itself escaped). */
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/**
 * JSON text PostgreSQL can store: jsonb (and text) cannot hold U+0000, which a hostile request can
 * put in a parameter the audit metadata keeps, nor a lone UTF-16 surrogate (`invalid input syntax
 * for type json`), so each is stored as U+FFFD (the replacement character) rather than fail the
 * write. The audit paths replace and mark them before (storable-value.ts); this is the last
 * line of defence for every other event. JSON.stringify writes a surrogate as an escape only when
 * it is lone (a pair goes out as itself), so every surrogate escape in its output is one to replace.
 * Only the escapes themselves are rewritten: a backslash-escaped backslash before `u0000` is the
 * literal text, left alone.
 */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value);
  return /\\u(?:0000|d[89a-f])/.test(text) ? text.replace(UNSTORABLE_ESCAPE, '$1\\ufffd') : text;
}
