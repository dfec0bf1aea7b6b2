import FormField from '@cloudscape-design/components/form-field';
import Textarea from '@cloudscape-design/components/textarea';
import { useState } from 'react';
import { kms } from '../console-api';
import { KmsActionModal } from '../kms-action-modal';
import { useLoaded } from '../use-loaded';
import { type KeyPartProps, SettingPanel, notAllowed } from './key-settings-tabs';

/**
 * The key policy: GetKeyPolicy's document (in time travel, the one of that moment), and Edit, which
 * sends the edited document with PutKeyPolicy. Not on AWS managed keys, whose policy AWS owns.
 */
export function KeyPolicyTab({ keyRow, region, changed, readOnly }: KeyPartProps) {
  const { value, error } = useLoaded(async () => {
    if (!keyRow.past)
      return kms<{ Policy: string }>('GetKeyPolicy', { KeyId: keyRow.keyId, PolicyName: 'default' }, region);
    if (keyRow.past.policy === null) throw new Error(notAllowed('kms:GetKeyPolicy'));
    return { Policy: keyRow.past.policy };
  }, [keyRow, region]);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const editable = !readOnly && keyRow.keyManager === 'CUSTOMER' && value !== undefined;
  return (
    <SettingPanel
      title="Key policy"
      description={keyRow.past?.policyIsDefault ? 'The default key policy: none had been set.' : undefined}
      editLabel="Edit key policy"
      onEdit={
        editable
          ? () => {
              setDraft(value.Policy);
              setEditing(true);
            }
          : undefined
      }
    >
      {error ?? (value ? <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{value.Policy}</pre> : 'Loading')}
      <KmsActionModal
        visible={editing}
        header="Edit key policy"
        action="Save changes"
        close={() => setEditing(false)}
        run={() => kms('PutKeyPolicy', { KeyId: keyRow.keyId, PolicyName: 'default', Policy: draft }, region)}
        done={() => changed('The key policy was saved.')}
        disabled={draft.trim() === ''}
      >
        <FormField label="Key policy" description="A JSON document with a Statement, at most 32 KB.">
          <Textarea value={draft} rows={18} onChange={({ detail }) => setDraft(detail.value)} spellcheck={false} />
        </FormField>
      </KmsActionModal>
    </SettingPanel>
  );
}
