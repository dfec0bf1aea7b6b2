import { decodeMarker, encodeMarker } from './wire-format';

/**
 * One page of a Marker/Limit listing (ListAliases, ListKeys): fetches one row more than `limit` to
 * know whether the listing goes on; the marker names the last row returned.
 */
export async function listPage<Row>(
  params: Readonly<Record<string, unknown>>,
  limit: number,
  fetch: (after: string | undefined, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => string,
): Promise<{ rows: Row[]; paging: { NextMarker?: string; Truncated: boolean } }> {
  const after = params.Marker === undefined ? undefined : decodeMarker(params.Marker as string);
  const fetched = await fetch(after, limit + 1);
  const rows = fetched.slice(0, limit);
  const truncated = fetched.length > limit;
  return {
    rows,
    paging: truncated
      ? { NextMarker: encodeMarker(keyOf(rows[rows.length - 1]!)), Truncated: true }
      : { Truncated: false },
  };
}
