import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
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
          <Button variant="primary" loading={verifying} onClick={() => void verify()} disabled={!status}>
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
