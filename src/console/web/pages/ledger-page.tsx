import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useEffect, useState } from 'react';
import { restGet, restPost } from '../console-api';
import { Field } from './key-settings-tabs';

interface LedgerStatus {
  readonly ledgerSeq: number;
  readonly headHash: string;
  readonly digestSeq: number;
  readonly undigestedEntries: number;
  readonly periodStart: string | null;
  readonly keyFingerprint: string | null;
  readonly chainKeyFingerprint: string | null;
  readonly lastError: string | null;
  readonly lastDigest: {
    /** The signed document and its signature, as the export's digests.jsonl line has them. */
    readonly document: Record<string, string | number | null> | null;
    /** Whether the signature holds for the service's key; null when that key is not the signer's. */
    readonly signatureValid: boolean | null;
  } | null;
}

/**
 * The tamper-evident ledger: how far the hash chain reaches, its last signed digest, and "Verify
 * now" (aliastrail:VerifyLedger), which checks every event against the chain and the digests and
 * shows the report.
 */
export function LedgerPage() {
  const [status, setStatus] = useState<LedgerStatus | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [report, setReport] = useState<Record<string, unknown> | undefined>();
  const [verifying, setVerifying] = useState(false);
  useEffect(() => {
    restGet<LedgerStatus>('/admin/ledger').then(setStatus, (failure: Error) => setError(failure.message));
  }, []);
  const verify = async () => {
    setVerifying(true);
    setReport(undefined);
    try {
      setReport(await restPost<Record<string, unknown>>('/admin/ledger/verify'));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setVerifying(false);
    }
  };
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description="The hash chain over every event, and the signed digests that seal it"
        actions={
          <Button variant="primary" loading={verifying} onClick={() => void verify()}>
            Verify now
          </Button>
        }
      >
        Ledger
      </Header>
      {error && <Alert type="error">{error}</Alert>}
      {status && (
        <Container header={<Header variant="h2">Chain</Header>}>
          <ColumnLayout columns={3} variant="text-grid">
            <Field label="Entries chained">{status.ledgerSeq}</Field>
            <Field label="Head hash">{status.headHash}</Field>
            <Field label="Last signed digest">{status.digestSeq > 0 ? `#${status.digestSeq}` : 'none yet'}</Field>
            <Field label="Entries since that digest">{status.undigestedEntries}</Field>
            <Field label="Signing key fingerprint">{status.keyFingerprint ?? status.chainKeyFingerprint ?? '-'}</Field>
            <Field label="Sequencer">
              {status.lastError ? <StatusIndicator type="error">{status.lastError}</StatusIndicator> : 'running'}
            </Field>
          </ColumnLayout>
        </Container>
      )}
      {status?.lastDigest && <LastDigest digest={status.lastDigest} />}
      {report && (
        <Container
          header={
            <Header variant="h2">
              <StatusIndicator type={report.ok === true ? 'success' : 'error'}>
                {report.ok === true ? 'Verified: the record is intact' : 'Verification failed'}
              </StatusIndicator>
            </Header>
          }
        >
          <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(report, null, 2)}</pre>
        </Container>
      )}
    </SpaceBetween>
  );
}

/** The last signed digest: what it seals, its signature and whether that holds, and the whole document. */
function LastDigest({ digest }: { digest: NonNullable<LedgerStatus['lastDigest']> }) {
  const d = digest.document;
  if (!d)
    return (
      <Alert type="error" header="Last signed digest">
        The stored digest cannot be read as a signed document: Verify now says what is wrong.
      </Alert>
    );
  const check =
    digest.signatureValid === null ? (
      <StatusIndicator type="warning">Signed by another key than this service&apos;s</StatusIndicator>
    ) : digest.signatureValid ? (
      <StatusIndicator type="success">Valid (Ed25519, this service&apos;s key)</StatusIndicator>
    ) : (
      <StatusIndicator type="error">Does not match the document</StatusIndicator>
    );
  return (
    <Container header={<Header variant="h2">{`Last signed digest: #${d.digest_seq}`}</Header>}>
      <SpaceBetween size="m">
        <ColumnLayout columns={3} variant="text-grid">
          <Field label="Signed at">{d.signed_at}</Field>
          <Field label="Entries">{`${d.from_ledger_seq} to ${d.to_ledger_seq} (${d.event_count} events)`}</Field>
          <Field label="Period">{`${d.period_start} to ${d.period_end}`}</Field>
          <Field label="Head hash">{d.head_hash}</Field>
          <Field label="Signature">{check}</Field>
          <Field label="Signing key fingerprint">{d.key_fingerprint}</Field>
        </ColumnLayout>
        <ExpandableSection headerText="Signed document">
          <pre style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>
            {JSON.stringify(digest.document, null, 2)}
          </pre>
        </ExpandableSection>
      </SpaceBetween>
    </Container>
  );
}
