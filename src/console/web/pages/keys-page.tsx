import { useCollection } from '@cloudscape-design/collection-hooks';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CollectionPreferences from '@cloudscape-design/components/collection-preferences';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type KeyListing, type KeyMetadata, describeKeys, keyTypeOf, loadKeyList } from '../keys-data';
import { consoleHref, useFollow } from '../navigation';
import { regionOf } from '../regions';
import { TimeTravelBanner, atOf } from '../time-travel';
import { KeyStatus } from './key-status';

/** Keys without an alias sort last by alias, as "-" shows them. */
const firstAlias = (key: KeyListing) => key.aliases[0] ?? '\uffff';

/**
 * The key tables: "Customer managed keys" and "AWS managed keys", each key with its first alias and
 * "(+n more)" opening its Aliases tab; filter by alias or key ID, sort by alias, pages.
 */
export function KeysPage({ manager }: { manager: 'CUSTOMER' | 'AWS' }) {
  const [search] = useSearchParams();
  const region = regionOf(search);
  const at = atOf(search);
  const follow = useFollow();
  const [keys, setKeys] = useState<KeyListing[] | undefined>();
  // What DescribeKey said of the keys shown so far: read for each page as it is shown.
  const [metadata, setMetadata] = useState<ReadonlyMap<string, KeyMetadata>>(new Map());
  const [error, setError] = useState<string | undefined>();
  // Keys the principal may not describe (kms:DescribeKey): left out, and said so.
  const [hidden, setHidden] = useState(0);
  const [pageSize, setPageSize] = useState(10);
  const title = manager === 'AWS' ? 'AWS managed keys' : 'Customer managed keys';

  useEffect(() => {
    let current = true;
    setKeys(undefined);
    setMetadata(new Map());
    setError(undefined);
    loadKeyList(region, at).then(
      (list) => {
        if (!current) return;
        setKeys(list.keys.filter((key) => key.keyManager === manager));
        setHidden(list.hiddenKeys);
      },
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [region, manager, at]);

  const keyHref = (key: KeyListing, tab = '') => consoleHref(`/keys/${key.keyId}${tab}`, region, at);
  const described = (key: KeyListing, show: (m: KeyMetadata) => React.ReactNode) => {
    const found = key.metadata ?? metadata.get(key.keyId);
    return found ? show(found) : <StatusIndicator type="loading">Loading</StatusIndicator>;
  };
  const columns: TableProps.ColumnDefinition<KeyListing>[] = [
    {
      id: 'aliases',
      header: 'Aliases',
      // Names the column across renders (the columns are made anew each time), so a second click
      // on its header turns the order round.
      sortingField: 'aliases',
      sortingComparator: (a, b) => (firstAlias(a) < firstAlias(b) ? -1 : firstAlias(a) > firstAlias(b) ? 1 : 0),
      cell: (key) =>
        key.aliases.length === 0 ? (
          '-'
        ) : (
          <>
            {key.aliases[0]}{' '}
            {key.aliases.length > 1 && (
              <Link href={keyHref(key, '/aliases')} onFollow={follow}>
                (+{key.aliases.length - 1} more)
              </Link>
            )}
          </>
        ),
    },
    {
      id: 'keyId',
      header: 'Key ID',
      cell: (key) => (
        <Link href={keyHref(key)} onFollow={follow}>
          {key.keyId}
        </Link>
      ),
    },
    { id: 'status', header: 'Status', cell: (key) => described(key, (m) => <KeyStatus state={m.KeyState} />) },
    { id: 'keyType', header: 'Key type', cell: (key) => described(key, (m) => keyTypeOf(m.KeySpec)) },
    { id: 'keySpec', header: 'Key spec', cell: (key) => described(key, (m) => m.KeySpec) },
    { id: 'keyUsage', header: 'Key usage', cell: (key) => described(key, (m) => m.KeyUsage) },
  ];

  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount } = useCollection(keys ?? [], {
    filtering: {
      filteringFunction: (key, text) => {
        const wanted = text.toLowerCase();
        return key.keyId.toLowerCase().includes(wanted) || key.aliases.some((a) => a.toLowerCase().includes(wanted));
      },
      empty: <Box textAlign="center">No keys in {region}</Box>,
      noMatch: <Box textAlign="center">No key matches the filter</Box>,
    },
    sorting: { defaultState: { sortingColumn: columns[0]! } },
    pagination: { pageSize },
  });

  // The keys of the page shown, described once each.
  const missing = items.filter((key) => !key.metadata && !metadata.has(key.keyId)).map((key) => key.keyId);
  useEffect(() => {
    if (missing.length === 0) return;
    let current = true;
    describeKeys(region, missing).then(
      (found) => current && setMetadata((before) => new Map([...before, ...found])),
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [missing.join(','), region]);

  if (error)
    return (
      <Alert type="error" header={`Could not list the keys of ${region}`}>
        {error}
      </Alert>
    );
  return (
    <SpaceBetween size="m">
      <TimeTravelBanner region={region} />
      {hidden > 0 && (
        <Alert type="info">
          {hidden === 1 ? 'One key' : `${hidden} keys`} cannot be shown: you are not allowed kms:DescribeKey on{' '}
          {hidden === 1 ? 'it' : 'them'}.
        </Alert>
      )}
      <Table
        {...collectionProps}
        variant="full-page"
        items={items}
        columnDefinitions={columns}
        trackBy="keyId"
        loading={keys === undefined}
        loadingText="Loading keys"
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={keys ? `(${keys.length})` : undefined}
            actions={
              manager === 'CUSTOMER' && !at ? (
                <Button href={consoleHref('/keys/create', region)} onFollow={follow} variant="primary">
                  Create key
                </Button>
              ) : undefined
            }
          >
            {title}
          </Header>
        }
        filter={
          <TextFilter
            {...filterProps}
            filteringPlaceholder="Filter keys by alias or key ID"
            filteringAriaLabel="Filter keys by alias or key ID"
            countText={`${filteredItemsCount ?? 0} matches`}
          />
        }
        pagination={
          <Pagination
            {...paginationProps}
            ariaLabels={{
              nextPageLabel: 'Next page',
              previousPageLabel: 'Previous page',
              pageLabel: (page) => `Page ${page} of all pages`,
            }}
          />
        }
        preferences={
          <CollectionPreferences
            title="Preferences"
            confirmLabel="Confirm"
            cancelLabel="Cancel"
            preferences={{ pageSize }}
            pageSizePreference={{
              title: 'Page size',
              options: [10, 25, 50, 100].map((value) => ({ value, label: `${value} keys` })),
            }}
            onConfirm={({ detail }) => setPageSize(detail.pageSize ?? 10)}
          />
        }
      />
    </SpaceBetween>
  );
}
