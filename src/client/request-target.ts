/**
 * Where a request goes, in the exact form it is both sent and signed in. The service verifies a
 * SigV4 signature over the query string as it parses it (URLSearchParams: `%XX` decoded, `+` a
 * space), re-encoded and sorted by @smithy/signature-v4. So whatever a user types, `name=alias/x`
 * or `name=alias%2Fx`, `at=…T14:00:00Z` or `…T14%3A00%3A00Z`, in any order, is sent strictly
 * percent-encoded (RFC 3986) and signed over the same decoded values: the two always agree.
 */

export interface RequestTarget {
  /** The URL the request goes to (its search is the strictly encoded one). */
  readonly url: URL;
  /** The path as sent on the wire, which the service signs as it receives it. */
  readonly path: string;
  /** The decoded parameters, as the service's URLSearchParams reads them from the sent query. */
  readonly query: Record<string, string | string[]>;
}

/** RFC 3986 percent-encoding: only unreserved characters stay as they are (SigV4's own rule). */
export function strictEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * A query-string component as the user meant it: `%XX` sequences decoded, anything else literal. A
 * `+` stays a plus sign (a time zone offset, a page token), not a form-encoded space: a space is
 * `%20`. A `%` that starts no valid escape is a literal percent sign.
 */
export function decodeComponent(text: string): string {
  // Bytes that are not UTF-8 become U+FFFD, as the service's URLSearchParams would make them.
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** The parameters of a query string (without its `?`), in the order given; empty pieces dropped. */
export function queryPairsOf(search: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const piece of search.split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const name = equals < 0 ? piece : piece.slice(0, equals);
    const value = equals < 0 ? '' : piece.slice(equals + 1);
    pairs.push([decodeComponent(name), decodeComponent(value)]);
  }
  return pairs;
}

/** The query string to send: every name and value strictly encoded, in the order given. */
export function wireQueryOf(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => `${strictEncode(name)}=${strictEncode(value)}`).join('&');
}

/** The parameters as the signer takes them: a repeated name's values in an array, in order. */
export function signedQueryOf(pairs: readonly (readonly [string, string])[]): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of pairs) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/**
 * The target of `pathAndQuery` (as typed: `/api/…?a=b`) on the service at `endpoint`, whose own
 * path, if any (a service behind a proxy at /aliastrail), comes first.
 */
export function requestTargetOf(endpoint: string, pathAndQuery: string): RequestTarget {
  const withoutFragment = pathAndQuery.split('#', 1)[0]!;
  const mark = withoutFragment.indexOf('?');
  const path = mark < 0 ? withoutFragment : withoutFragment.slice(0, mark);
  const search = mark < 0 ? '' : withoutFragment.slice(mark + 1);
  const base = new URL(endpoint);
  // Concatenated, not resolved: a path starting with // would otherwise name another host.
  const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`);
  const pairs = queryPairsOf(search);
  url.search = pairs.length > 0 ? `?${wireQueryOf(pairs)}` : '';
  return { url, path: url.pathname, query: signedQueryOf(pairs) };
}
