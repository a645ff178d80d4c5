import { Button } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { ConfirmModal } from './ConfirmModal';

/** A row's destructive action; it only opens a confirmation, so it never shows progress itself. */
export function DangerRowButton({ label = 'Delete', ariaLabel, onClick }: { label?: string; ariaLabel?: string; onClick(): void }) {
  return (
    <Button variant="secondary" isDanger size="sm" onClick={onClick} aria-label={ariaLabel}>
      {label}
    </Button>
  );
}

interface DangerConfirmProps<T> {
  /** The row being confirmed; nothing shows while it is undefined. */
  target: T | undefined;
  title: string;
  confirmLabel?: string;
  onConfirm(target: T): Promise<unknown>;
  /** Clears the target: called on Cancel and after success. */
  onClose(): void;
  /** After success, e.g. to refresh the list the row was in. */
  onDone(): void;
  children(target: T): ReactNode;
}

/** The confirmation of a row's destructive action, held open by the screen's "which row" state. */
export function DangerConfirm<T>({ target, title, confirmLabel = 'Delete', onConfirm, onClose, onDone, children }: DangerConfirmProps<T>) {
  if (target === undefined) {
    return null;
  }
  return (
    <ConfirmModal
      title={title}
      confirmLabel={confirmLabel}
      danger
      onConfirm={() => onConfirm(target)}
      onClose={onClose}
      onDone={() => {
        onClose();
        onDone();
      }}
    >
      {children(target)}
    </ConfirmModal>
  );
}
