import type { PageTokenUse } from '../page-tokens/page-token-codec';
import type { PageTokens } from '../page-tokens/page-tokens.service';
import { type PageInfo, pageOf } from './page-info.types';
import { openingCursor, pageSizeOf, refusedCursor } from './query-arguments';

/** How a list that the reader answers whole (a history, a diff, a key's aliases) is paged. */
export interface ListPaging<T> {
  /** The listing and the arguments its cursors are bound to: not `first`/`after`, nor a defaulted "now". */
  readonly use: PageTokenUse;
  /** What a cursor carries: unique in the list, and the same in the next read of it. */
  readonly keyOf: (row: T, index: number, rows: readonly T[]) => string;
  /**
   * For a cursor whose row is no longer listed (an alias deleted between two pages of a list at
   * "now"): whether `row` comes after where it stood. Without it, such a cursor is refused.
   */
  readonly follows?: (row: T, key: string) => boolean;
}

export interface ListPage<T> {
  readonly nodes: T[];
  readonly edges: { cursor: string; node: T }[];
  readonly pageInfo: PageInfo;
}

/**
 * A Relay page of `rows` (the whole list, in its order): the reader answers these lists in one
 * statement and none is large, so paging here bounds the answer, not the read. Cursors are page
 * tokens (MAC'd, bound to `use`), carrying the key of the last row shown rather than an offset,
 * so that a row added before it (a late observed record) moves nothing.
 *
 * @example listPage(tokens, { use, keyOf: (v) => String(v.version) }, versions, 2, undefined) // versions 1 and 2
 */
export function listPage<T>(
  tokens: PageTokens,
  paging: ListPaging<T>,
  rows: readonly T[],
  first: number,
  after: string | null | undefined,
): ListPage<T> {
  const size = pageSizeOf(first);
  const keys = rows.map((row, i) => paging.keyOf(row, i, rows));
  const start =
    after === undefined || after === null
      ? 0
      : resumeAt(
          rows,
          keys,
          paging,
          openingCursor(() => tokens.open(paging.use, after).toString('utf8')),
        );
  const shown = Array.from(
    { length: Math.max(0, Math.min(rows.length, start + size + 1) - start) },
    (_, i) => start + i,
  );
  const page = pageOf(shown, size, (i) => tokens.issue(paging.use, Buffer.from(keys[i]!, 'utf8')));
  return {
    nodes: page.nodes.map((i) => rows[i]!),
    edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: rows[edge.node]! })),
    pageInfo: page.pageInfo,
  };
}

function resumeAt<T>(rows: readonly T[], keys: readonly string[], paging: ListPaging<T>, key: string): number {
  const at = keys.indexOf(key);
  if (at >= 0) return at + 1;
  const follows = paging.follows;
  if (!follows) throw refusedCursor('after names an item no longer in this list: start the listing again.');
  const next = rows.findIndex((row) => follows(row, key));
  return next < 0 ? rows.length : next;
}
