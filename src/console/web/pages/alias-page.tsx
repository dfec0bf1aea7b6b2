import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import { useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { restGet } from '../console-api';
import { regionOf } from '../regions';
import { type AliasVersion, VersionsTable } from './versions-table';

/** An alias's page: every version, across deletions and re-creations (who, when, from key, to key). */
export function AliasPage() {
  const params = useParams();
  const aliasName = `alias/${params['*'] ?? ''}`;
  const [search] = useSearchParams();
  const region = regionOf(search);
  const [versions, setVersions] = useState<AliasVersion[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    setVersions(undefined);
    setError(undefined);
    restGet<{ versions: AliasVersion[] }>(
      `/api/regions/${region}/alias/history?name=${encodeURIComponent(aliasName)}`,
    ).then(
      (answer) => current && setVersions(answer.versions),
      (failure: Error) => current && setError(failure.message),
    );
    return () => {
      current = false;
    };
  }, [aliasName, region]);
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
