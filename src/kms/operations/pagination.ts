import type { Scope } from '../domain/identifiers';
import { KmsError } from '../domain/kms-error';
import { InvalidPageToken, type PageTokenUse } from '../../page-tokens/page-token-codec';
import type { PageTokens } from '../../page-tokens/page-tokens.service';

/** Where a listing's markers may be used: the same operation, account, Region and filter. */
export interface MarkerUse {
  readonly tokens: PageTokens;
  readonly use: PageTokenUse;
}

export function markerUse(
  tokens: PageTokens,
  operation:
    'ListAliases' | 'ListKeys' | 'ListGrants' | 'ListRetirableGrants' | 'ListResourceTags' | 'ListKeyRotations',
  scope: Scope,
  filter: Readonly<Record<string, unknown>> = {},
): MarkerUse {
  return { tokens, use: { listing: `kms:${operation}`, binding: { scope, filter } } };
}

/**
 * One page of a Marker/Limit listing (ListAliases, ListKeys, ListGrants, ListRetirableGrants, ListResourceTags,
 * ListKeyRotations): fetches one row more than `limit` to
 * know whether the listing goes on; the marker is a MAC'd page token naming the last row returned.
 */
export async function listPage<Row>(
  markers: MarkerUse,
  marker: string | undefined,
  limit: number,
  fetch: (after: string | undefined, limit: number) => Promise<Row[]>,
  keyOf: (row: Row) => string,
): Promise<{ rows: Row[]; paging: { NextMarker?: string; Truncated: boolean } }> {
  const after = marker === undefined ? undefined : afterMarker(markers, marker);
  const fetched = await fetch(after, limit + 1);
  const rows = fetched.slice(0, limit);
  if (fetched.length <= limit) return { rows, paging: { Truncated: false } };
  const last = Buffer.from(keyOf(rows[rows.length - 1]!), 'utf8');
  return { rows, paging: { NextMarker: markers.tokens.issue(markers.use, last), Truncated: true } };
}

function afterMarker({ tokens, use }: MarkerUse, marker: string): string {
  try {
    return tokens.open(use, marker).toString('utf8');
  } catch (error) {
    if (!(error instanceof InvalidPageToken)) throw error;
    // AWS's exact error for any marker it did not issue, expired ones included.
    throw new KmsError('InvalidMarkerException', 'Invalid marker');
  }
}
