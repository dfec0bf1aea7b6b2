import type { KeyRow } from '../keys-data';
import { HistoryView } from './history-view';

/** A key's History tab: every alias that pointed at it, from when to when, who, from where. */
export function HistoryTab({ keyRow, region }: { keyRow: KeyRow; region: string }) {
  return (
    <HistoryView
      path={`/api/regions/${region}/keys/${keyRow.keyId}/history?waitForPosition=latest`}
      region={region}
      title="History"
      description="Every alias that pointed to this key, and when"
      empty="No alias has ever pointed to this key."
    />
  );
}
