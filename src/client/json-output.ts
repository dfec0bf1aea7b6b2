const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const CLOSING: Readonly<Record<string, string>> = { '{': '}', '[': ']' };

/**
 * `text`, a JSON document, indented by two spaces as JSON.stringify(value, null, 2) would be, but
 * re-indented rather than parsed and printed again: numbers keep every digit (a value past 2^53
 * would lose some through a JavaScript number) and strings keep their escapes, as the service wrote
 * them. Undefined when `text` is not JSON.
 */
export function prettyJson(text: string): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(i, end + 1);
      i = end;
    } else if (WHITESPACE.has(c)) {
      continue;
    } else if (c === '{' || c === '[') {
      let next = i + 1;
      while (WHITESPACE.has(text[next]!)) next++;
      if (text[next] === CLOSING[c]) {
        out += `${c}${CLOSING[c]}`;
        i = next;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += `,${newline()}`;
    } else if (c === ':') {
      out += ': ';
    } else {
      out += c;
    }
  }
  return out;
}

/** Whether a GraphQL answer reports errors (a 200 can: a field that failed, a query refused). */
export function hasGraphqlErrors(text: string): boolean {
  try {
    const answer = JSON.parse(text) as { errors?: unknown };
    return Array.isArray(answer.errors) && answer.errors.length > 0;
  } catch {
    return false;
  }
}
