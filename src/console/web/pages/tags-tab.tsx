import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { kms } from '../console-api';
import { KmsActionModal } from '../kms-action-modal';
import { useLoaded } from '../use-loaded';
import { type KeyPartProps, notAllowed } from './key-settings-tabs';

interface Tag {
  readonly TagKey: string;
  readonly TagValue: string;
}

/**
 * A key's tags (ListResourceTags; in time travel, those of that moment): Add tag (TagResource, which
 * replaces the value of a key already there) and Remove of the selected ones (UntagResource).
 */
export function TagsTab({ keyRow, region, changed, readOnly }: KeyPartProps) {
  const { value, error } = useLoaded(async () => {
    if (!keyRow.past) return kms<{ Tags: Tag[] }>('ListResourceTags', { KeyId: keyRow.keyId }, region);
    if (keyRow.past.tags === null) throw new Error(notAllowed('kms:ListResourceTags'));
    return { Tags: keyRow.past.tags };
  }, [keyRow, region]);
  const editable = !readOnly && keyRow.keyManager === 'CUSTOMER';
  const [selected, setSelected] = useState<Tag[]>([]);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [tagKey, setTagKey] = useState('');
  const [tagValue, setTagValue] = useState('');
  const tags = value?.Tags ?? [];
  return (
    <>
      <Table
        header={
          <Header
            counter={value ? `(${tags.length})` : undefined}
            actions={
              editable && (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button disabled={selected.length === 0} onClick={() => setRemoving(true)}>
                    Remove
                  </Button>
                  <Button
                    onClick={() => {
                      setTagKey('');
                      setTagValue('');
                      setAdding(true);
                    }}
                  >
                    Add tag
                  </Button>
                </SpaceBetween>
              )
            }
          >
            Tags
          </Header>
        }
        items={tags as Tag[]}
        trackBy="TagKey"
        selectionType={editable ? 'multi' : undefined}
        selectedItems={selected}
        onSelectionChange={({ detail }) => setSelected(detail.selectedItems)}
        ariaLabels={{
          selectionGroupLabel: 'Tags',
          allItemsSelectionLabel: () => 'Select every tag',
          itemSelectionLabel: (_, tag) => `Select ${tag.TagKey}`,
        }}
        loading={!value && !error}
        loadingText="Loading tags"
        empty={<Box textAlign="center">{error ?? 'No tags'}</Box>}
        columnDefinitions={[
          { id: 'key', header: 'Tag key', cell: (tag) => tag.TagKey },
          { id: 'value', header: 'Tag value', cell: (tag) => tag.TagValue },
        ]}
      />
      <KmsActionModal
        visible={adding}
        header="Add tag"
        action="Add tag"
        close={() => setAdding(false)}
        run={() => kms('TagResource', { KeyId: keyRow.keyId, Tags: [{ TagKey: tagKey, TagValue: tagValue }] }, region)}
        done={() => changed(`Tag ${tagKey} was saved.`)}
        disabled={tagKey === ''}
      >
        <FormField label="Tag key">
          <Input value={tagKey} onChange={({ detail }) => setTagKey(detail.value)} />
        </FormField>
        <FormField label="Tag value">
          <Input value={tagValue} onChange={({ detail }) => setTagValue(detail.value)} />
        </FormField>
      </KmsActionModal>
      <KmsActionModal
        visible={removing}
        header={selected.length === 1 ? 'Remove tag' : 'Remove tags'}
        action="Remove"
        close={() => setRemoving(false)}
        run={() => kms('UntagResource', { KeyId: keyRow.keyId, TagKeys: selected.map((tag) => tag.TagKey) }, region)}
        done={() => {
          setSelected([]);
          changed(
            selected.length === 1 ? `Tag ${selected[0]!.TagKey} was removed.` : `${selected.length} tags were removed.`,
          );
        }}
      >
        <Box>These tags will be removed from the key:</Box>
        <ul>
          {selected.map((tag) => (
            <li key={tag.TagKey}>{tag.TagKey}</li>
          ))}
        </ul>
      </KmsActionModal>
    </>
  );
}
