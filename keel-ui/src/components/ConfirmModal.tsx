import { Button, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useState, type ReactNode } from 'react';
import { messageOf } from '../api/client';
import { ErrorAlert } from './ErrorAlert';

interface Props {
  title: string;
  confirmLabel: string;
  danger?: boolean;
  children: ReactNode;
  /** Runs the action; the modal stays open with the API's message if it throws. */
  onConfirm(): Promise<unknown>;
  onClose(): void;
  onDone(): void;
}

export function ConfirmModal({ title, confirmLabel, danger = false, children, onConfirm, onClose, onDone }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onDone();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="confirm-title">
      <ModalHeader title={title} labelId="confirm-title" titleIconVariant={danger ? 'warning' : undefined} />
      <ModalBody>
        <ErrorAlert message={error} />
        {children}
      </ModalBody>
      <ModalFooter>
        <Button variant={danger ? 'danger' : 'primary'} onClick={confirm} isLoading={busy} isDisabled={busy}>
          {confirmLabel}
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
