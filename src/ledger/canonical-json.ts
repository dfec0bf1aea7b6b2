/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the bytes the ledger hashes and signs.
 *
 * - object members sorted by their names' UTF-16 code units (what Array.prototype.sort does by
 *   default), no whitespace;
 * - numbers as ECMAScript's Number.prototype.toString writes them (-0 as 0; NaN and Infinity are
 *   not JSON and are refused);
 * - strings as JSON.stringify escapes them (the escaping RFC 8785 §3.2.2.2 prescribes).
 *
 * Members whose value is `undefined` are left out and `undefined` array items written as null, as
 * JSON.stringify does; only plain objects, arrays, strings, finite numbers, booleans and null are
 * accepted. Written out recursively: the ledger's hot paths canonicalise jsonb's text (jsonb-bytes.ts)
 * and only small values (tags, digests) come here.
 *
 * Strings are not checked for lone surrogates (RFC 8785 requires I-JSON, which has none): jsonb
 * cannot store one, and JSON.stringify escapes one as a \u escape of its code unit, so the output is still unambiguous.
 *
 * @example canonicalJson({ b: 1, a: [true, 'x'] }) // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new TypeError('not JSON: undefined');
  return serialise(value);
}

/** The canonical form of a JSON text (for instance a jsonb column as PostgreSQL prints it). */
export function canonicalJsonText(text: string): string {
  return canonicalJson(JSON.parse(text));
}

function serialise(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`not JSON: the number ${value}`);
      return String(value); // ECMAScript Number::toString; String(-0) is "0"
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value))
        return `[${Array.from(value, (item) => (item === undefined ? 'null' : serialise(item))).join(',')}]`;
      assertPlainObject(value);
      const members: string[] = [];
      for (const name of Object.keys(value).sort()) {
        const member = (value as Record<string, unknown>)[name];
        if (member !== undefined) members.push(`${JSON.stringify(name)}:${serialise(member)}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`not JSON: a value of type ${typeof value}`);
  }
}

function assertPlainObject(value: object): void {
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null)
    throw new TypeError(`not JSON: an instance of ${prototype?.constructor?.name ?? 'an unknown class'}`);
}
