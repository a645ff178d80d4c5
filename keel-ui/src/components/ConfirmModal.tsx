import { Button, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import { useSubmit } from '../useSubmit';

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
  const { busy, error, run } = useSubmit();

  const confirm = async () => {
    await run(async () => {
      await onConfirm();
      onDone();
    });
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
