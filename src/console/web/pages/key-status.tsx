import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import { statusOf } from '../keys-data';

const TYPES: Record<string, StatusIndicatorProps.Type> = {
  Enabled: 'success',
  Disabled: 'stopped',
  PendingDeletion: 'pending',
  PendingImport: 'pending',
  Unavailable: 'error',
};

/** A key's status in the console's words, with its indicator. */
export function KeyStatus({ state }: { state: string }) {
  return <StatusIndicator type={TYPES[state] ?? 'info'}>{statusOf(state)}</StatusIndicator>;
}
