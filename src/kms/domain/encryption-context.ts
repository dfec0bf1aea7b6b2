/**
 * An encryption context as the API takes it: string keys to string values
 * (docs/kms-behaviour.md#encryption-context).
 */
export type EncryptionContext = Readonly<Record<string, string>>;

/**
 * The bytes an encryption context adds to a ciphertext's additional data
 * (docs/kms-behaviour.md#encryption-context, #ciphertexts): its pairs sorted by the UTF-8 bytes of
 * their keys, each key and each value written as a u32 big-endian byte length and its UTF-8 bytes.
 * `{}` and an absent context are both zero bytes; empty keys and values are pairs like any other.
 * Every field carries its length, so no two contexts share an encoding: `{"ab":"c"}` is not
 * `{"a":"bc"}`.
 *
 * A lone UTF-16 surrogate (JSON lets a request carry one) is written as the 3 bytes of its code
 * point (WTF-8), not as U+FFFD the way TextEncoder would: a context holding U+FFFD then still does
 * not decrypt what one holding the lone surrogate encrypted. Well-formed strings are plain UTF-8.
 *
 * @example canonicalEncryptionContext({ b: '', a: 'x' }) // 0 0 0 1 'a' 0 0 0 1 'x' 0 0 0 1 'b' 0 0 0 0
 */
export function canonicalEncryptionContext(context: EncryptionContext | undefined): Uint8Array {
  if (context === undefined) return new Uint8Array(0);
  // Object.entries: own pairs only, so a `__proto__` key parsed from JSON is a pair like any other.
  const pairs = Object.entries(context).map(([key, value]) => [utf8(key), utf8(value)] as const);
  pairs.sort(([a], [b]) => compareBytes(a, b));
  const length = pairs.reduce((sum, [key, value]) => sum + 8 + key.length + value.length, 0);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const field of pairs.flat()) {
    view.setUint32(at, field.length);
    out.set(field, at + 4);
    at += 4 + field.length;
  }
  return out;
}

/** Negative, zero or positive as `a` sorts before, with or after `b`, byte by byte. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** UTF-8, with lone surrogates as their own code points (see canonicalEncryptionContext). */
function utf8(text: string): Uint8Array {
  const bytes: number[] = [];
  // for…of walks code points: a surrogate pair is one, a lone surrogate is one on its own.
  for (const character of text) {
    const c = character.codePointAt(0)!;
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(bytes);
}
