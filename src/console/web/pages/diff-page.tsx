import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Table from '@cloudscape-design/components/table';
import { useSearchParams } from 'react-router';
import { restGet } from '../console-api';
import { aliasHref, consoleHref, useFollow } from '../navigation';
import { regionOf } from '../regions';
import { useLoaded } from '../use-loaded';

interface AliasChange {
  readonly aliasName: string;
  readonly before: string | null;
  readonly after: string | null;
}

/** The aliases whose key differs between two moments (?from=, ?to=; to defaults to now). */
export function DiffPage() {
  const [search] = useSearchParams();
  const region = regionOf(search);
  const from = search.get('from') ?? '';
  // Now, as of the page's opening: a moment that moved on each render would compare again and again.
  const [opened] = useState(() => new Date().toISOString());
  const to = search.get('to') ?? opened;
  const follow = useFollow();
  const { value, error } = useLoaded(
    () =>
      restGet<{ changes: AliasChange[] }>(
        `/api/regions/${region}/diff?${new URLSearchParams({ from, to, waitForPosition: 'latest' })}`,
      ),
    [region, from, to],
  );
  const changes = value?.changes;
  const key = (keyId: string | null, at: string) =>
    keyId ? (
      <Link href={`${consoleHref(`/keys/${keyId}/aliases`, region)}&at=${encodeURIComponent(at)}`} onFollow={follow}>
        {keyId}
      </Link>
    ) : (
      '(none)'
    );
  if (error)
    return (
      <Alert type="error" header="No comparison">
        {error}
      </Alert>
    );
  return (
    <Table
      header={
        <Header
          variant="h1"
          counter={changes ? `(${changes.length})` : undefined}
          description={`From ${from} to ${to}`}
        >
          Alias changes
        </Header>
      }
      items={changes ?? []}
      loading={changes === undefined}
      loadingText="Comparing"
      trackBy="aliasName"
      empty={<Box textAlign="center">No alias pointed elsewhere</Box>}
      columnDefinitions={[
        {
          id: 'alias',
          header: 'Alias',
          cell: (c) => (
            <Link href={aliasHref(c.aliasName, region)} onFollow={follow}>
              {c.aliasName}
            </Link>
          ),
        },
        { id: 'before', header: `Key at ${from}`, cell: (c) => key(c.before, from) },
        { id: 'after', header: `Key at ${to}`, cell: (c) => key(c.after, to) },
      ]}
    />
  );
}
