import ColumnLayout from '@cloudscape-design/components/column-layout';
import FormField from '@cloudscape-design/components/form-field';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { kms } from '../console-api';
import { KmsActionModal } from '../kms-action-modal';
import { Field, type KeyPartProps, SettingPanel } from './key-settings-tabs';
import { KeyStatus } from './key-status';

const dateOf = (seconds: number | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : '-');

/**
 * A key's General configuration (alias, status, dates, ARN, description, id), and Edit of the
 * description (UpdateKeyDescription) on a customer managed key, now.
 */
export function GeneralConfiguration({ keyRow, region, changed, readOnly }: KeyPartProps) {
  const [editing, setEditing] = useState(false);
  const [description, setDescription] = useState('');
  const editable = !readOnly && keyRow.keyManager === 'CUSTOMER';
  return (
    <SettingPanel
      title="General configuration"
      editLabel="Edit description"
      onEdit={
        editable
          ? () => {
              setDescription(keyRow.description);
              setEditing(true);
            }
          : undefined
      }
    >
      <ColumnLayout columns={3} variant="text-grid">
        <Field label="Alias">{keyRow.aliases[0] ?? '-'}</Field>
        <Field label="Status">
          <KeyStatus state={keyRow.keyState} />
        </Field>
        <Field label="Creation date">{dateOf(keyRow.creationDate)}</Field>
        <Field label="ARN">{keyRow.arn}</Field>
        <Field label="Description">{keyRow.description || '-'}</Field>
        <Field label="Key ID">{keyRow.keyId}</Field>
        {keyRow.deletionDate && <Field label="Scheduled deletion date">{dateOf(keyRow.deletionDate)}</Field>}
      </ColumnLayout>
      <KmsActionModal
        visible={editing}
        header="Edit description"
        action="Save changes"
        close={() => setEditing(false)}
        run={() => kms('UpdateKeyDescription', { KeyId: keyRow.keyId, Description: description }, region)}
        done={() => changed('The description was saved.')}
      >
        <FormField label="Description" description="Up to 8,192 characters.">
          <Textarea value={description} onChange={({ detail }) => setDescription(detail.value)} />
        </FormField>
      </KmsActionModal>
    </SettingPanel>
  );
}
