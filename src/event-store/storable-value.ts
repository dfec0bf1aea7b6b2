import { MAX_JSON_DEPTH } from './json-depth-limit';

/** What jsonb cannot hold: U+0000 and UTF-16 surrogates that are not half of a pair. */
const UNSTORABLE = /[\u0000\ud800-\udfff]/;
const REPLACEMENT = '\ufffd';

/** A copy PostgreSQL's jsonb accepts, and what had to change to make it. */
export interface Storable<T> {
  readonly value: T;
  /** Characters replaced by U+FFFD (lone surrogates, U+0000), in keys and values. */
  readonly replaced: number;
  /** Objects or arrays nested deeper than the limit were replaced by null. */
  readonly tooDeep: boolean;
}

/**
 * `text` with each lone surrogate and U+0000 replaced by U+FFFD, and how many were. Pairs, and
 * every other code point (U+FFFF, U+10FFFF, joiners, direction marks), are kept as they are.
 *
 * @example storableString('a\ud800b') // { text: 'a\ufffdb', replaced: 1 }
 */
export function storableString(text: string): { text: string; replaced: number } {
  if (!UNSTORABLE.test(text)) return { text, replaced: 0 };
  let out = '';
  let replaced = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const high = c >= 0xd800 && c <= 0xdbff;
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      out += text[i]! + text[i + 1]!;
      i += 1;
    } else if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) {
      out += REPLACEMENT;
      replaced += 1;
    } else out += text[i]!;
  }
  return { text: out, replaced };
}

type Frame = { readonly source: object; readonly target: Record<string, unknown> | unknown[]; readonly depth: number };

/**
 * A JSON copy of client-supplied data that jsonb can store: strings and keys through
 * storableString, containers nested deeper than `maxDepth` replaced by null, and what JSON.stringify
 * would drop (undefined, functions) dropped. Iterative, so no depth of input can overflow the stack.
 * `__proto__` keys stay plain data (defined, never assigned).
 *
 * @example storableValue({ a: [{ b: 1 }] }, 2) // { value: { a: [null] }, replaced: 0, tooDeep: true }
 */
export function storableValue<T>(root: T, maxDepth = MAX_JSON_DEPTH): Storable<T> {
  let replaced = 0;
  let tooDeep = false;
  const stack: Frame[] = [];
  /** The stored form of one value; containers come back empty and are filled from the stack. */
  const convert = (input: unknown, depth: number): unknown => {
    const value = hasToJson(input) ? input.toJSON() : input;
    if (typeof value === 'string') {
      const safe = storableString(value);
      replaced += safe.replaced;
      return safe.text;
    }
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'bigint') return value.toString();
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value !== 'object') return undefined;
    if (depth > maxDepth) {
      tooDeep = true;
      return null;
    }
    const target = Array.isArray(value) ? [] : {};
    stack.push({ source: value, target, depth });
    return target;
  };
  const value = convert(root, 1);
  while (stack.length > 0) {
    const { source, target, depth } = stack.pop()!;
    if (Array.isArray(target)) {
      for (const item of source as unknown[]) target.push(convert(item, depth + 1) ?? null);
      continue;
    }
    for (const [key, item] of Object.entries(source)) {
      const member = convert(item, depth + 1);
      if (member === undefined) continue;
      const safeKey = storableString(key);
      replaced += safeKey.replaced;
      // Assigned, which keeps the copy a fast object (defining every key, as this once did, cost the
      // audit record of every call); only `__proto__` must be defined, or it would set the prototype.
      if (safeKey.text === '__proto__')
        Object.defineProperty(target, safeKey.text, {
          value: member,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else (target as Record<string, unknown>)[safeKey.text] = member;
    }
  }
  return { value: value as T, replaced, tooDeep };
}

const hasToJson = (value: unknown): value is { toJSON(): unknown } =>
  typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
