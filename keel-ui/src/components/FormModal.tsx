import { Button, Form, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useId, type FormEvent, type ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import { useSubmit } from '../useSubmit';

interface Props {
  title: string;
  submitLabel: string;
  /** False keeps the submit button disabled (a field is missing or wrong). */
  canSubmit?: boolean;
  variant?: 'small' | 'medium' | 'large';
  /** A failure before any submit (e.g. loading the choices); a submit's own refusal takes its place. */
  loadError?: string;
  children: ReactNode;
  /** Runs the call; the modal stays open with the API's message if it throws. */
  onSubmit(): Promise<unknown>;
  onClose(): void;
  onDone(): void;
}

/** A modal form whose submit calls the API and shows its refusal verbatim. */
export function FormModal({ title, submitLabel, canSubmit = true, variant = 'small', loadError, children, onSubmit, onClose, onDone }: Props) {
  const id = useId();
  const { busy, error, run } = useSubmit();

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSubmit || busy) return;
    await run(async () => {
      await onSubmit();
      onDone();
    });
  };

  return (
    <Modal variant={variant} isOpen onClose={onClose} aria-labelledby={`${id}-title`}>
      <ModalHeader title={title} labelId={`${id}-title`} />
      <ModalBody>
        <ErrorAlert message={error ?? loadError} />
        <Form id={`${id}-form`} onSubmit={submit}>
          {children}
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button type="submit" form={`${id}-form`} variant="primary" isLoading={busy} isDisabled={busy || !canSubmit}>
          {submitLabel}
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
