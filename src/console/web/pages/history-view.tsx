import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import { restGet } from '../console-api';
import { useLoaded } from '../use-loaded';
import { type AliasVersion, VersionsTable } from './versions-table';

/** What an observed account's evidence covers (REST answers' `observed`); null for a served account. */
interface Observed {
  readonly evidenceFrom: string | null;
  readonly evidenceTo: string | null;
}

/**
 * Alias versions read from a REST history (`path`), as a table with its title; its error if it fails.
 * For an observed account (its history imported from CloudTrail), first what its evidence covers.
 */
export function HistoryView(props: {
  path: string;
  region: string;
  title: string;
  description: string;
  empty: string;
  page?: boolean;
}) {
  const { value, error } = useLoaded(
    () => restGet<{ versions: AliasVersion[]; observed?: Observed | null }>(props.path),
    [props.path],
  );
  const versions = value?.versions;
  const observed = value?.observed;
  if (error)
    return (
      <Alert type="error" header={props.title}>
        {error}
      </Alert>
    );
  const table = (
    <VersionsTable
      versions={versions ?? []}
      region={props.region}
      loading={versions === undefined}
      empty={props.empty}
      header={
        <Header
          variant={props.page ? 'h1' : undefined}
          counter={versions ? `(${versions.length})` : undefined}
          description={props.description}
        >
          {props.title}
        </Header>
      }
    />
  );
  if (!observed) return table;
  return (
    <>
      <Alert type="info" header="Observed account: history imported from CloudTrail">
        {observed.evidenceFrom
          ? `The imported records cover ${observed.evidenceFrom} to ${observed.evidenceTo}. Before that nothing is known; a target or start the records do not show is marked as such.`
          : 'No imported record of this Region has been applied yet.'}
      </Alert>
      {table}
    </>
  );
}
