import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import { restGet } from '../console-api';
import { useLoaded } from '../use-loaded';
import { type AliasVersion, VersionsTable } from './versions-table';

/** Alias versions read from a REST history (`path`), as a table with its title; its error if it fails. */
export function HistoryView(props: {
  path: string;
  region: string;
  title: string;
  description: string;
  empty: string;
  page?: boolean;
}) {
  const { value, error } = useLoaded(() => restGet<{ versions: AliasVersion[] }>(props.path), [props.path]);
  const versions = value?.versions;
  if (error)
    return (
      <Alert type="error" header={props.title}>
        {error}
      </Alert>
    );
  return (
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
}
