import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';

/** A dialog's buttons, as the console has them: Cancel, then the action (while it runs, no Cancel). */
export function ModalFooter({
  cancel,
  action,
  onAction,
  busy = false,
  disabled = false,
}: {
  cancel: () => void;
  action: string;
  onAction: () => void;
  busy?: boolean;
  disabled?: boolean;
}) {
  return (
    <Box float="right">
      <SpaceBetween direction="horizontal" size="xs">
        <Button variant="link" onClick={cancel} disabled={busy}>
          Cancel
        </Button>
        <Button variant="primary" loading={busy} disabled={disabled} onClick={onAction}>
          {action}
        </Button>
      </SpaceBetween>
    </Box>
  );
}
