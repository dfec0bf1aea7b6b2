/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the bytes the ledger hashes and signs.
 *
 * - object members sorted by their names' UTF-16 code units (what Array.prototype.sort does by
 *   default), no whitespace;
 * - numbers as ECMAScript's Number.prototype.toString writes them (-0 as 0; NaN and Infinity are
 *   not JSON and are refused);
 * - strings as JSON.stringify escapes them (the escaping RFC 8785 §3.2.2.2 prescribes).
 *
 * JSON.stringify already does all of that except the member order, so the fast path copies each
 * object with its members in sorted order and lets the engine serialise it. It cannot when a name
 * looks like an array index ("0", "17"): engines enumerate those first, in numeric order, so such a
 * value takes the plain recursive serialiser instead. Both paths give the same text (see the spec).
 * Members whose value is `undefined` are left out, as JSON.stringify leaves them out; only plain
 * objects, arrays, strings, finite numbers, booleans and null are accepted.
 *
 * Strings are not checked for lone surrogates (RFC 8785 requires I-JSON, which has none): jsonb
 * cannot store one, and JSON.stringify escapes one as a \u escape of its code unit, so the output is still unambiguous.
 *
 * @example canonicalJson({ b: 1, a: [true, 'x'] }) // '{"a":[true,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) throw new TypeError('not JSON: undefined');
  indexLikeName = false;
  const sorted = sortedCopy(value);
  return indexLikeName ? serialise(value) : JSON.stringify(sorted);
}

/** The canonical form of a JSON text (for instance a jsonb column as PostgreSQL prints it). */
export function canonicalJsonText(text: string): string {
  return canonicalJson(JSON.parse(text));
}

// Set by sortedCopy when some object has a member name that engines enumerate out of insertion order.
let indexLikeName = false;

function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined': // a member left out, or null in an array, as JSON.stringify does
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`not JSON: the number ${value}`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          const sorted = sortedCopy(item);
          if (sorted !== item) (copy ??= value.slice())[i] = sorted;
        }
        return copy ?? value;
      }
      assertPlainObject(value);
      const names = Object.keys(value);
      for (const name of names) {
        const first = name.charCodeAt(0);
        if (first >= 48 && first <= 57 && isArrayIndex(name)) indexLikeName = true;
      }
      names.sort();
      const copy: Record<string, unknown> = {};
      for (const name of names) {
        const member = sortedCopy((value as Record<string, unknown>)[name]);
        // A member named __proto__ (JSON.parse makes it an own property) must not set the prototype.
        if (name === '__proto__')
          Object.defineProperty(copy, name, { value: member, enumerable: true, writable: true, configurable: true });
        else copy[name] = member;
      }
      return copy;
    }
    default:
      throw new TypeError(`not JSON: a value of type ${typeof value}`);
  }
}

/** The reference serialiser: RFC 8785 written out, for values the fast path cannot take. */
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
        return `[${value.map((item) => (item === undefined ? 'null' : serialise(item))).join(',')}]`;
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

/** An array index in the ECMAScript sense: the canonical decimal form of an integer below 2^32 - 1. */
function isArrayIndex(name: string): boolean {
  return /^(0|[1-9][0-9]{0,9})$/.test(name) && Number(name) < 4_294_967_295;
}
