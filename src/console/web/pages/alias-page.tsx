import { useParams, useSearchParams } from 'react-router';
import { regionOf } from '../regions';
import { HistoryView } from './history-view';

/** An alias's page: every version, across deletions and re-creations (who, when, from key, to key). */
export function AliasPage() {
  const params = useParams();
  const aliasName = `alias/${params['*'] ?? ''}`;
  const [search] = useSearchParams();
  const region = regionOf(search);
  return (
    <HistoryView
      path={`/api/regions/${region}/alias/history?name=${encodeURIComponent(aliasName)}&waitForPosition=latest`}
      region={region}
      title={aliasName}
      description="Every version of the alias, oldest first"
      empty="This alias has no history."
      page
    />
  );
}
