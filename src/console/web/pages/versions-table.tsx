import Box from '@cloudscape-design/components/box';
import Link from '@cloudscape-design/components/link';
import Table from '@cloudscape-design/components/table';
import { aliasHref, consoleHref, useFollow } from '../navigation';

/** An alias version as the REST API answers it (/api/regions/{region}/alias/history, …/keys/{id}/history). */
export interface AliasVersion {
  readonly aliasName: string;
  readonly version: number;
  /** Null: an observed account's records do not show the target (unknown, not absent). */
  readonly targetKeyId: string | null;
  /** Null: an observed alias that existed before its first imported record. */
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly startedBy: Cause | null;
  readonly endedBy: Cause | null;
  readonly endedReason: string | null;
}

interface Cause {
  readonly eventName?: string;
  readonly invokedBy?: string;
  readonly sourceIPAddress?: string;
  readonly userIdentity?: { readonly userName?: string; readonly arn?: string };
}

const who = (cause: Cause | null) => (cause ? (cause.userIdentity?.arn ?? cause.invokedBy ?? '-') : '-');
const call = (cause: Cause | null) => (cause ? `${cause.eventName ?? cause.invokedBy ?? ''}` : '');

/**
 * The versions of aliases: which key each pointed to, from when to when, who made and ended each
 * version, with which call, from where. Alias names open the alias's own page, key ids the key's.
 */
export function VersionsTable({
  versions,
  region,
  header,
  loading,
  empty,
}: {
  versions: readonly AliasVersion[];
  region: string;
  header: React.ReactNode;
  loading: boolean;
  empty: string;
}) {
  const follow = useFollow();
  return (
    <Table
      header={header}
      items={[...versions]}
      loading={loading}
      loadingText="Loading history"
      trackBy={(v) => `${v.aliasName}#${v.version}`}
      empty={<Box textAlign="center">{empty}</Box>}
      wrapLines
      columnDefinitions={[
        {
          id: 'alias',
          header: 'Alias',
          cell: (v) => (
            <Link href={aliasHref(v.aliasName, region)} onFollow={follow}>
              {v.aliasName}
            </Link>
          ),
        },
        { id: 'version', header: 'Version', cell: (v) => v.version },
        {
          id: 'key',
          header: 'Key ID',
          cell: (v) =>
            v.targetKeyId === null ? (
              'Unknown (not in the imported records)'
            ) : (
              // The key as it was when the alias came to point at it: it may be gone since.
              <Link href={consoleHref(`/keys/${v.targetKeyId}`, region, v.validFrom ?? undefined)} onFollow={follow}>
                {v.targetKeyId}
              </Link>
            ),
        },
        { id: 'from', header: 'From', cell: (v) => v.validFrom ?? 'Before the first imported record' },
        { id: 'to', header: 'To', cell: (v) => v.validTo ?? 'now' },
        { id: 'started', header: 'Started by', cell: (v) => `${who(v.startedBy)} (${call(v.startedBy)})` },
        { id: 'ip', header: 'Source IP', cell: (v) => v.startedBy?.sourceIPAddress ?? '-' },
        {
          id: 'ended',
          header: 'Ended by',
          cell: (v) =>
            v.endedBy ? `${who(v.endedBy)} (${call(v.endedBy)}${v.endedReason ? `, ${v.endedReason}` : ''})` : '-',
        },
      ]}
    />
  );
}
