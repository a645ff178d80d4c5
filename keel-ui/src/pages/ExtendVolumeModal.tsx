import { Button, Content, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useState, type FormEvent } from 'react';
import type { VolumeView } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { SizeInput, sizeString, type Size } from '../components/SizeInput';
import { formatBytes } from '../format';
import { useSubmit } from '../useSubmit';

const GIB = 1024 ** 3;

export function ExtendVolumeModal({ volume, onClose, onDone }: { volume: VolumeView; onClose(): void; onDone(): void }) {
  const api = useApi();
  const [size, setSize] = useState<Size>({ amount: String(Math.ceil(volume.sizeBytes / GIB) + 1), unit: 'G' });
  const { busy, error, run } = useSubmit();
  const sizeText = sizeString(size);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!sizeText) return;
    await run(async () => {
      await api.extendVolume(volume.name, sizeText);
      onDone();
    });
  };

  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="extend-volume-title">
      <ModalHeader title={`Extend volume ${volume.name}`} labelId="extend-volume-title" />
      <ModalBody>
        <ErrorAlert message={error} />
        <Content component="p">{`Current size: ${formatBytes(volume.sizeBytes)}. A volume can only grow.`}</Content>
        <Form id="extend-volume-form" onSubmit={submit}>
          <FormGroup label="New size" isRequired fieldId="extend-size">
            <SizeInput id="extend-size" value={size} onChange={setSize} />
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button type="submit" form="extend-volume-form" variant="primary" isLoading={busy} isDisabled={busy || !sizeText}>
          Extend
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
