import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import { useState } from 'react';
import { kms } from '../console-api';
import type { KeyRow } from '../keys-data';
import { KmsActionModal } from '../kms-action-modal';

/** Key actions of a customer managed key: disable, enable, schedule deletion (7–30 days), cancel deletion. */
export function KeyActions({
  keyRow,
  region,
  changed,
}: {
  keyRow: KeyRow;
  region: string;
  changed: (message: string) => void;
}) {
  const [scheduling, setScheduling] = useState(false);
  const [days, setDays] = useState('30');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  if (keyRow.keyManager === 'AWS') return null;

  const act = async (operation: string, input: Record<string, unknown>, message: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await kms(operation, { KeyId: keyRow.keyId, ...input }, region);
      changed(message);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const pending = keyRow.keyState === 'PendingDeletion';
  return (
    <>
      <ButtonDropdown
        loading={busy}
        items={[
          { id: 'disable', text: 'Disable', disabled: keyRow.keyState !== 'Enabled' },
          { id: 'enable', text: 'Enable', disabled: keyRow.keyState !== 'Disabled' },
          { id: 'schedule', text: 'Schedule key deletion', disabled: pending },
          { id: 'cancel', text: 'Cancel key deletion', disabled: !pending },
        ]}
        onItemClick={({ detail }) => {
          if (detail.id === 'disable') void act('DisableKey', {}, `Key ${keyRow.keyId} was disabled.`);
          if (detail.id === 'enable') void act('EnableKey', {}, `Key ${keyRow.keyId} was enabled.`);
          if (detail.id === 'cancel')
            void act('CancelKeyDeletion', {}, `The deletion of key ${keyRow.keyId} was canceled.`);
          if (detail.id === 'schedule') {
            setError(undefined);
            setDays('30');
            setScheduling(true);
          }
        }}
      >
        Key actions
      </ButtonDropdown>
      {error && <Alert type="error">{error}</Alert>}
      <KmsActionModal
        visible={scheduling}
        header="Schedule key deletion"
        action="Schedule deletion"
        close={() => setScheduling(false)}
        run={() => kms('ScheduleKeyDeletion', { KeyId: keyRow.keyId, PendingWindowInDays: Number(days) }, region)}
        done={() => changed(`Key ${keyRow.keyId} is scheduled for deletion in ${days} days.`)}
      >
        <FormField label="Waiting period (in days)" description="Enter a whole number of days from 7 to 30.">
          <Input type="number" inputMode="numeric" value={days} onChange={({ detail }) => setDays(detail.value)} />
        </FormField>
        <Box>After the waiting period, the key and every ciphertext made under it become unusable for good.</Box>
      </KmsActionModal>
    </>
  );
}
