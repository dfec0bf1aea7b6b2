import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import { useParams, useSearchParams } from 'react-router';
import { restGet } from '../console-api';
import { regionOf } from '../regions';
import { useLoaded } from '../use-loaded';
import { type AliasVersion, VersionsTable } from './versions-table';

/** An alias's page: every version, across deletions and re-creations (who, when, from key, to key). */
export function AliasPage() {
  const params = useParams();
  const aliasName = `alias/${params['*'] ?? ''}`;
  const [search] = useSearchParams();
  const region = regionOf(search);
  const { value, error } = useLoaded(
    () =>
      restGet<{ versions: AliasVersion[] }>(
        `/api/regions/${region}/alias/history?name=${encodeURIComponent(aliasName)}`,
      ),
    [aliasName, region],
  );
  const versions = value?.versions;
  if (error)
    return (
      <Alert type="error" header={aliasName}>
        {error}
      </Alert>
    );
  return (
    <VersionsTable
      versions={versions ?? []}
      region={region}
      loading={versions === undefined}
      empty="This alias has no history."
      header={
        <Header
          variant="h1"
          counter={versions ? `(${versions.length})` : undefined}
          description="Every version of the alias, oldest first"
        >
          {aliasName}
        </Header>
      }
    />
  );
}
