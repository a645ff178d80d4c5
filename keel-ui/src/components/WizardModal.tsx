import { Button, Modal, ModalVariant, Wizard, WizardHeader } from '@patternfly/react-core';
import { Fragment, isValidElement, type ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import { Loading } from './Loading';

interface Props<T> {
  title: string;
  description?: string;
  testId: string;
  /** The choices the steps offer; undefined while they load, and the steps wait for them. */
  data: T | undefined;
  loadError?: string;
  onClose(): void;
  /** The WizardStep elements (in a fragment if several). */
  children(data: T): ReactNode;
}

/** A create wizard in a large modal, closed through its header only (one close button, not two). */
export function WizardModal<T>({ title, description, testId, data, loadError, onClose, children }: Props<T>) {
  if (data === undefined) {
    return (
      <Modal variant={ModalVariant.large} isOpen onEscapePress={onClose} aria-label={title} data-testid={testId}>
        <div className="pf-v6-u-p-lg">
          <ErrorAlert message={loadError} />
          <Loading />
          {/* The modal's focus trap needs something to focus while the choices load. */}
          <Button variant="link" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </Modal>
    );
  }
  const steps = children(data);
  return (
    <Modal variant={ModalVariant.large} isOpen onEscapePress={onClose} aria-label={title} data-testid={testId}>
      <Wizard header={<WizardHeader title={title} description={description} onClose={onClose} closeButtonAriaLabel="Close" />} onClose={onClose} height={560}>
        {/* PatternFly's Wizard finds its steps among its direct children, so a fragment is opened up. */}
        {isValidElement<{ children?: ReactNode }>(steps) && steps.type === Fragment ? steps.props.children : steps}
      </Wizard>
    </Modal>
  );
}
