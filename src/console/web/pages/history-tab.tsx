import Alert from '@cloudscape-design/components/alert';
import Header from '@cloudscape-design/components/header';
import { restGet } from '../console-api';
import type { KeyRow } from '../keys-data';
import { useLoaded } from '../use-loaded';
import { type AliasVersion, VersionsTable } from './versions-table';

/** A key's History tab: every alias that pointed at it, from when to when, who, from where. */
export function HistoryTab({ keyRow, region }: { keyRow: KeyRow; region: string }) {
  const { value, error } = useLoaded(
    () => restGet<{ versions: AliasVersion[] }>(`/api/regions/${region}/keys/${keyRow.keyId}/history`),
    [keyRow.keyId, region],
  );
  const versions = value?.versions;
  if (error)
    return (
      <Alert type="error" header="No history">
        {error}
      </Alert>
    );
  return (
    <VersionsTable
      versions={versions ?? []}
      region={region}
      loading={versions === undefined}
      empty="No alias has ever pointed to this key."
      header={
        <Header
          counter={versions ? `(${versions.length})` : undefined}
          description="Every alias that pointed to this key, and when"
        >
          History
        </Header>
      }
    />
  );
}
