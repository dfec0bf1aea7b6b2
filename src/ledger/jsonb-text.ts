import { canonicalJsonText } from './canonical-json';

/**
 * canonicalJsonText for the JSON text jsonb prints, without building the value: most of verify's
 * time went into parsing each event's data and metadata, sorting copies of them and printing them
 * again, and into collecting that garbage. jsonb's text is a narrow dialect:
 *
 * - strings are escaped exactly as RFC 8785 (JSON.stringify) escapes them: PostgreSQL's escape_json
 *   writes \" \\ \b \f \n \r \t, \u00xx in lower case for other control characters, everything
 *   else as it is, and a jsonb string cannot hold a lone surrogate. So strings are copied as they
 *   stand (a string with any other escape is rewritten, to be safe with any input);
 * - numbers are numeric's text: integers of up to 15 digits read the same as ECMAScript writes
 *   them; any other number (1.50, 1e+21, 2^53 and beyond) is rewritten through Number;
 * - `: ` and `, ` between tokens, which canonical form drops; members in jsonb's order (by length,
 *   then bytes), which is re-sorted by UTF-16 code units.
 *
 * Anything else it meets (other whitespace, a syntax error) sends the text through
 * canonicalJsonText instead, so the result is always canonicalJsonText's; the spec holds it to that.
 */
export function canonicalJsonbText(json: string): string {
  text = json;
  at = 0;
  try {
    const out = value();
    if (at !== text.length) throw NOT_JSONB;
    return out;
  } catch (error) {
    if (error !== NOT_JSONB) throw error;
    return canonicalJsonText(json);
  }
}

const NOT_JSONB = new Error('not jsonb text');
let text = '';
let at = 0;

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const SPACE = 32;

function value(): string {
  const c = text.charCodeAt(at);
  if (c === QUOTE) return string();
  if (c === 123) return object();
  if (c === 91) return array();
  return scalar();
}

function object(): string {
  at += 1; // {
  if (text.charCodeAt(at) === 125) {
    at += 1;
    return '{}';
  }
  const names: string[] = [];
  const members: string[] = [];
  for (;;) {
    if (text.charCodeAt(at) !== QUOTE) throw NOT_JSONB;
    const raw = string();
    const name = raw.indexOf('\\') < 0 ? raw.slice(1, -1) : (JSON.parse(raw) as string);
    if (text.charCodeAt(at) !== COLON || text.charCodeAt(at + 1) !== SPACE) throw NOT_JSONB;
    at += 2;
    const member = `${raw}:${value()}`;
    // Insertion sort: a handful of members, mostly in a few runs already.
    let k = names.length;
    if (k > 0 && names[k - 1]! >= name) {
      while (k > 0 && names[k - 1]! > name) k -= 1;
      if (k > 0 && names[k - 1] === name) {
        members[k - 1] = member; // a repeated name: the last one counts, as in JSON.parse
        if (!separator(125)) break;
        continue;
      }
    }
    names.splice(k, 0, name);
    members.splice(k, 0, member);
    if (!separator(125)) break;
  }
  return `{${members.join(',')}}`;
}

function array(): string {
  at += 1; // [
  if (text.charCodeAt(at) === 93) {
    at += 1;
    return '[]';
  }
  let out = '[';
  for (;;) {
    out += value();
    if (!separator(93)) break;
    out += ',';
  }
  return `${out}]`;
}

/** After a member or element: `, ` (true: another follows) or the closing bracket (false). */
function separator(close: number): boolean {
  const c = text.charCodeAt(at);
  if (c === close) {
    at += 1;
    return false;
  }
  if (c !== COMMA || text.charCodeAt(at + 1) !== SPACE) throw NOT_JSONB;
  at += 2;
  return true;
}

/** A string, in canonical form: as it stands when its escapes are the canonical ones. */
function string(): string {
  const start = at;
  let end = text.indexOf('"', at + 1);
  for (;;) {
    if (end < 0) throw NOT_JSONB;
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) break; // not itself escaped: the end
    end = text.indexOf('"', end + 1);
  }
  at = end + 1;
  const raw = text.slice(start, at);
  if (raw.indexOf('\\', 1) < 0 || canonicalEscapes(raw)) return raw;
  return JSON.stringify(JSON.parse(raw) as string);
}

/** Whether every escape in a string is one JSON.stringify writes. */
function canonicalEscapes(raw: string): boolean {
  for (let i = raw.indexOf('\\'); i >= 0; i = raw.indexOf('\\', i + 2)) {
    const next = raw[i + 1];
    if (next === 'u') {
      const hex = raw.slice(i + 2, i + 6);
      if (!/^00[01][0-9a-f]$/.test(hex) || ['0008', '0009', '000a', '000c', '000d'].includes(hex)) return false;
      i += 4;
    } else if (!next || !'"\\bfnrt'.includes(next)) return false;
  }
  return true;
}

function scalar(): string {
  let end = at;
  for (;;) {
    const c = text.charCodeAt(end);
    if (c === COMMA || c === 125 || c === 93 || Number.isNaN(c)) break;
    end += 1;
  }
  const token = text.slice(at, end);
  at = end;
  if (token === 'true' || token === 'false' || token === 'null') return token;
  if (/^-?(0|[1-9][0-9]{0,14})$/.test(token)) return token === '-0' ? '0' : token;
  if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(token)) throw NOT_JSONB;
  const number = Number(token);
  if (!Number.isFinite(number)) throw new TypeError(`not JSON: the number ${token}`);
  return String(number);
}
