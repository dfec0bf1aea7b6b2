
/**
 * Whether JSON text nests objects and arrays deeper than `limit`, found by one pass over the
 * characters (no recursion, nothing allocated), so that a hostile body is refused before anything
 * builds or walks it. Brackets inside strings do not count; the text need not be valid JSON.
 *
 * @example nestsDeeperThan('{"a":[[1]]}', 2) // true: three levels
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}
