import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useRef, useState } from 'react';
import { kms } from '../console-api';
import type { KeyRow } from '../keys-data';
import { aliasHref, useFollow } from '../navigation';
import { KmsActionModal } from '../kms-action-modal';

interface AliasItem {
  readonly name: string;
  readonly arn: string;
}

/**
 * A key's Aliases tab: every alias name and ARN; Create alias (the console adds `alias/` to the name
 * entered, as AWS's does) and Delete of the selected aliases, after a confirmation. AWS's messages
 * are shown as they come. No update (the console cannot move an alias), and nothing to change on an
 * AWS managed key.
 */
export function AliasesTab({
  keyRow,
  region,
  changed,
  readOnly = false,
}: {
  keyRow: KeyRow;
  region: string;
  changed: (message: string) => void;
  /** A moment of the past (time travel): shown, never changed. */
  readOnly?: boolean;
}) {
  const managed = keyRow.keyManager === 'AWS';
  const fixed = managed || readOnly;
  const follow = useFollow();
  const [selected, setSelected] = useState<AliasItem[]>([]);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [name, setName] = useState('');
  const arnPrefix = keyRow.arn.replace(/key\/[^/]+$/, '');
  const items: AliasItem[] = keyRow.aliases.map((alias) => ({ name: alias, arn: `${arnPrefix}${alias}` }));

  // Each selected alias in turn: AWS has no call that deletes several. Those that fail stay selected,
  // listed with AWS's message, to try again or give up; the page shows what was deleted once the
  // dialog closes, and which failed.
  const deleted = useRef<string[]>([]);
  const failed = useRef<string[]>([]);
  const remove = async () => {
    const failures: string[] = [];
    const left: AliasItem[] = [];
    for (const alias of selected) {
      try {
        await kms('DeleteAlias', { AliasName: alias.name }, region);
        deleted.current.push(alias.name);
      } catch (failure) {
        failures.push(`${alias.name}: ${(failure as Error).message}`);
        left.push(alias);
      }
    }
    failed.current = left.map((alias) => alias.name);
    setSelected(left);
    if (failures.length > 0) throw new Error(failures.join('\n'));
  };
  const closeDeleting = () => {
    setDeleting(false);
    const gone = deleted.current;
    if (gone.length === 0) return;
    setSelected([]);
    const names = gone.join(', ');
    const notGone = failed.current.length > 0 ? ` Not deleted: ${failed.current.join(', ')}.` : '';
    changed(gone.length === 1 ? `Alias ${names} was deleted.${notGone}` : `Aliases ${names} were deleted.${notGone}`);
  };

  return (
    <>
      <Table
        items={items}
        trackBy="name"
        selectionType={fixed ? undefined : 'multi'}
        selectedItems={selected}
        onSelectionChange={({ detail }) => setSelected(detail.selectedItems)}
        ariaLabels={{
          selectionGroupLabel: 'Aliases',
          allItemsSelectionLabel: () => 'Select every alias',
          itemSelectionLabel: (_, item) => `Select ${item.name}`,
        }}
        columnDefinitions={[
          {
            id: 'name',
            header: 'Alias name',
            cell: (item) => (
              <Link href={aliasHref(item.name, region)} onFollow={follow}>
                {item.name}
              </Link>
            ),
          },
          { id: 'arn', header: 'Alias ARN', cell: (item) => item.arn },
        ]}
        empty={<Box textAlign="center">This key has no alias.</Box>}
        header={
          <Header
            counter={`(${items.length})`}
            description={managed ? 'You cannot create or delete the aliases of an AWS managed key.' : undefined}
            actions={
              fixed ? undefined : (
                <SpaceBetween direction="horizontal" size="xs">
                  <Button
                    disabled={selected.length === 0}
                    onClick={() => {
                      deleted.current = [];
                      failed.current = [];
                      setDeleting(true);
                    }}
                  >
                    Delete
                  </Button>
                  <Button variant="primary" onClick={() => setCreating(true)}>
                    Create alias
                  </Button>
                </SpaceBetween>
              )
            }
          >
            Aliases
          </Header>
        }
      />
      <KmsActionModal
        visible={creating}
        header="Create alias"
        action="Create alias"
        close={() => {
          setCreating(false);
          setName('');
        }}
        run={() => kms('CreateAlias', { AliasName: `alias/${name}`, TargetKeyId: keyRow.keyId }, region)}
        done={() => changed(`Alias alias/${name} was created.`)}
        disabled={name === ''}
      >
        <FormField
          label="Alias name"
          description="The console adds the alias/ prefix to the name you enter: ExampleAlias becomes alias/ExampleAlias."
        >
          <Input value={name} onChange={({ detail }) => setName(detail.value)} placeholder="ExampleAlias" />
        </FormField>
      </KmsActionModal>
      <KmsActionModal
        visible={deleting}
        header={selected.length === 1 ? 'Delete alias' : 'Delete aliases'}
        action="Delete"
        close={closeDeleting}
        run={remove}
        done={() => undefined}
      >
        <Box>
          Applications that use {selected.length === 1 ? 'this alias' : 'these aliases'} to name the key will fail once{' '}
          {selected.length === 1 ? 'it is' : 'they are'} deleted:
        </Box>
        <ul>
          {selected.map((alias) => (
            <li key={alias.name}>{alias.name}</li>
          ))}
        </ul>
      </KmsActionModal>
    </>
  );
}
