import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import { useState } from 'react';
import { kms } from '../console-api';
import { KmsActionModal } from '../kms-action-modal';
import type { KeyRow } from '../keys-data';
import { useLoaded } from '../use-loaded';
import { Field, type KeyPartProps, SettingPanel, notAllowed } from './key-settings-tabs';

interface RotationStatus {
  KeyRotationEnabled: boolean;
  RotationPeriodInDays?: number;
  NextRotationDate?: number;
}

/** A key's rotation then, in GetKeyRotationStatus' shape; its error, or the denial, as a failure. */
function pastStatus(past: NonNullable<KeyRow['past']>): RotationStatus {
  const rotation = past.rotation;
  if (rotation === null) throw new Error(notAllowed('kms:GetKeyRotationStatus'));
  if ('error' in rotation) throw new Error(rotation.error);
  return {
    KeyRotationEnabled: rotation.keyRotationEnabled,
    ...(rotation.rotationPeriodInDays !== null ? { RotationPeriodInDays: rotation.rotationPeriodInDays } : {}),
    ...(rotation.nextRotationDate ? { NextRotationDate: Date.parse(rotation.nextRotationDate) / 1000 } : {}),
  };
}

/**
 * Automatic key rotation: GetKeyRotationStatus (in time travel, that moment's), and Edit, which turns
 * it on with a period of 90 to 2560 days (EnableKeyRotation) or off (DisableKeyRotation). KMS says
 * which keys cannot rotate; its message is shown as it comes.
 */
export function KeyRotationTab({ keyRow, region, changed, readOnly }: KeyPartProps) {
  const { value, error } = useLoaded(
    async () =>
      keyRow.past
        ? pastStatus(keyRow.past)
        : kms<RotationStatus>('GetKeyRotationStatus', { KeyId: keyRow.keyId }, region),
    [keyRow, region],
  );
  const [editing, setEditing] = useState(false);
  const [enabled, setEnabled] = useState(false);
  const [days, setDays] = useState('365');
  const editable = !readOnly && keyRow.keyManager === 'CUSTOMER' && value !== undefined;
  const edit = () => {
    setEnabled(value?.KeyRotationEnabled ?? false);
    setDays(String(value?.RotationPeriodInDays ?? 365));
    setEditing(true);
  };
  return (
    <SettingPanel title="Key rotation" editLabel="Edit automatic key rotation" onEdit={editable ? edit : undefined}>
      {error ??
        (value ? (
          <ColumnLayout columns={3} variant="text-grid">
            <Field label="Automatic key rotation">{value.KeyRotationEnabled ? 'Enabled' : 'Disabled'}</Field>
            <Field label="Rotation period">
              {value.RotationPeriodInDays ? `${value.RotationPeriodInDays} days` : '-'}
            </Field>
            <Field label="Next rotation date">
              {value.NextRotationDate ? new Date(value.NextRotationDate * 1000).toISOString() : '-'}
            </Field>
          </ColumnLayout>
        ) : (
          'Loading'
        ))}
      <KmsActionModal
        visible={editing}
        header="Edit automatic key rotation"
        action="Save"
        close={() => setEditing(false)}
        run={() =>
          enabled
            ? kms('EnableKeyRotation', { KeyId: keyRow.keyId, RotationPeriodInDays: Number(days) }, region)
            : kms('DisableKeyRotation', { KeyId: keyRow.keyId }, region)
        }
        done={() => changed(enabled ? `Automatic rotation every ${days} days.` : 'Automatic rotation is off.')}
        disabled={enabled && !/^\d+$/.test(days)}
      >
        <Checkbox checked={enabled} onChange={({ detail }) => setEnabled(detail.checked)}>
          Automatically rotate this KMS key
        </Checkbox>
        {enabled && (
          <FormField label="Rotation period (in days)" description="From 90 to 2560 days.">
            <Input type="number" inputMode="numeric" value={days} onChange={({ detail }) => setDays(detail.value)} />
          </FormField>
        )}
      </KmsActionModal>
    </SettingPanel>
  );
}
