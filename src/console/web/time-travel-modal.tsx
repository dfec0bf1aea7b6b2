import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import { useState } from 'react';
import { ModalFooter } from './modal-footer';

/** Picks the moment to view: a date and time in UTC (ISO 8601), or a day. */
export function TimeTravelModal({
  visible,
  close,
  go,
}: {
  visible: boolean;
  close: () => void;
  go: (at: string) => void;
}) {
  const [value, setValue] = useState('');
  const parsed = Date.parse(value.length === 10 ? `${value}T23:59:59.999Z` : value);
  const valid = value !== '' && !Number.isNaN(parsed) && parsed <= Date.now();
  return (
    <Modal
      visible={visible}
      onDismiss={close}
      header="Time travel"
      footer={
        <ModalFooter
          cancel={close}
          action="View"
          disabled={!valid}
          onAction={() => go(new Date(parsed).toISOString())}
        />
      }
    >
      <FormField
        label="Moment"
        description="A past date and time in UTC, such as 2026-03-01T14:00:00Z, or a day (its end): every table then shows that moment, read-only."
        errorText={value !== '' && !valid ? 'Enter a past date and time, such as 2026-03-01T14:00:00Z.' : undefined}
      >
        <Input value={value} onChange={({ detail }) => setValue(detail.value)} placeholder="2026-03-01T14:00:00Z" />
      </FormField>
    </Modal>
  );
}
