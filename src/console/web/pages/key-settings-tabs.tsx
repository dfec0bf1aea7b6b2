import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Table from '@cloudscape-design/components/table';
import type { ReactNode } from 'react';
import { kms } from '../console-api';
import { type KeyRow, keyTypeOf } from '../keys-data';
import { useLoaded } from '../use-loaded';

/** A label and its value, as the console's detail pages show them. */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <div>{children}</div>
    </div>
  );
}

export function KeyPolicyTab({ keyRow, region }: { keyRow: KeyRow; region: string }) {
  const { value, error } = useLoaded(
    () => kms<{ Policy: string }>('GetKeyPolicy', { KeyId: keyRow.keyId, PolicyName: 'default' }, region),
    [keyRow.keyId, region],
  );
  return (
    <Container header={<Header variant="h2">Key policy</Header>}>
      {error ?? (value ? <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{value.Policy}</pre> : 'Loading')}
    </Container>
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

export function TagsTab({ keyRow, region }: { keyRow: KeyRow; region: string }) {
  const { value, error } = useLoaded(
    () => kms<{ Tags: { TagKey: string; TagValue: string }[] }>('ListResourceTags', { KeyId: keyRow.keyId }, region),
    [keyRow.keyId, region],
  );
  return (
    <Table
      header={<Header counter={value ? `(${value.Tags.length})` : undefined}>Tags</Header>}
      items={value?.Tags ?? []}
      loading={!value && !error}
      loadingText="Loading tags"
      empty={<Box textAlign="center">{error ?? 'No tags'}</Box>}
      columnDefinitions={[
        { id: 'key', header: 'Tag key', cell: (tag) => tag.TagKey },
        { id: 'value', header: 'Tag value', cell: (tag) => tag.TagValue },
      ]}
    />
  );
}

export function KeyRotationTab({ keyRow, region }: { keyRow: KeyRow; region: string }) {
  const { value, error } = useLoaded(
    () =>
      kms<{ KeyRotationEnabled: boolean; RotationPeriodInDays?: number; NextRotationDate?: number }>(
        'GetKeyRotationStatus',
        { KeyId: keyRow.keyId },
        region,
      ),
    [keyRow.keyId, region],
  );
  return (
    <Container header={<Header variant="h2">Key rotation</Header>}>
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
    </Container>
  );
}
