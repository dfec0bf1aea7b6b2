import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import type { ReactNode } from 'react';
import { type KeyRow, keyTypeOf } from '../keys-data';

/** What a key page's parts get: the key (as it is, or as it was in time travel), and how to report a change. */
export interface KeyPartProps {
  readonly keyRow: KeyRow;
  readonly region: string;
  /** Called after a change succeeded: the page reloads the key and says what changed. */
  readonly changed: (message: string) => void;
  /** A moment of the past (time travel, from the URL): shown, never changed. */
  readonly readOnly: boolean;
}

/** What a past view says of a part the principal may not read through KMS (the server left it out). */
export const notAllowed = (action: string) => `You are not allowed ${action} on this key, so it is not shown.`;

/** A label and its value, as the console's detail pages show them. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <div>{children}</div>
    </div>
  );
}

export function CryptographicConfigurationTab({ keyRow }: { keyRow: KeyRow }) {
  return (
    <Container header={<Header variant="h2">Cryptographic configuration</Header>}>
      <ColumnLayout columns={3} variant="text-grid">
        <Field label="Key type">{keyTypeOf(keyRow.keySpec)}</Field>
        <Field label="Key spec">{keyRow.keySpec}</Field>
        <Field label="Key usage">{keyRow.keyUsage}</Field>
      </ColumnLayout>
    </Container>
  );
}

/**
 * A key setting's panel: its title, and Edit when it may be changed (`onEdit`; the button's label
 * says what, for screen readers and tests, where the page shows "Edit" as AWS's console does).
 */
export function SettingPanel({
  title,
  description,
  editLabel,
  onEdit,
  children,
}: {
  title: string;
  description?: string;
  editLabel: string;
  onEdit: (() => void) | undefined;
  children: ReactNode;
}) {
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={description}
          actions={
            onEdit && (
              <Button ariaLabel={editLabel} onClick={onEdit}>
                Edit
              </Button>
            )
          }
        >
          {title}
        </Header>
      }
    >
      {children}
    </Container>
  );
}
