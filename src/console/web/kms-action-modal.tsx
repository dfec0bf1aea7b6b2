import Alert from '@cloudscape-design/components/alert';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { type ReactNode, useEffect, useState } from 'react';
import { ModalFooter } from './modal-footer';

/**
 * A dialog that makes one change through KMS: its form, Cancel and the action. While the call runs
 * the action spins and the dialog stays; when it fails, AWS's message is shown as it came and the dialog stays open; when
 * it succeeds, the dialog closes and `done` says what changed.
 */
export function KmsActionModal({
  visible,
  header,
  action,
  run,
  close,
  done,
  disabled = false,
  children,
}: {
  visible: boolean;
  header: string;
  action: string;
  run: () => Promise<unknown>;
  close: () => void;
  done: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // Each opening starts clean: no error of an earlier attempt.
  useEffect(() => {
    if (visible) setError(undefined);
  }, [visible]);
  const dismiss = () => {
    setError(undefined);
    close();
  };
  const act = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await run();
      dismiss();
      done();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      visible={visible}
      // Not while the call runs: its outcome, an error to show or a change to report, needs the dialog.
      onDismiss={() => busy || dismiss()}
      header={header}
      footer={
        <ModalFooter cancel={dismiss} action={action} busy={busy} disabled={disabled} onAction={() => void act()} />
      }
    >
      <SpaceBetween size="m">
        {children}
        {error && (
          <Alert type="error">
            <span style={{ whiteSpace: 'pre-line' }}>{error}</span>
          </Alert>
        )}
      </SpaceBetween>
    </Modal>
  );
}
