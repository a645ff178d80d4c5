import {
  Button,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  TextInput,
} from '@patternfly/react-core';
import { useEffect, useState, type FormEvent } from 'react';
import { SessionExpiredError, messageOf } from '../api/client';
import type { PolicyView } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { SizeInput, sizeString, type Size } from '../components/SizeInput';

export function CreateVolumeModal({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [size, setSize] = useState<Size>({ amount: '10', unit: 'G' });
  const [policy, setPolicy] = useState('');
  const [policies, setPolicies] = useState<PolicyView[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    api.policies().then(
      (list) => {
        if (cancelled) return;
        const usable = list.filter((p) => p.holdsVolumes);
        setPolicies(usable);
        setPolicy((current) => current || (usable[0]?.name ?? ''));
      },
      (e: unknown) => {
        if (!cancelled && !(e instanceof SessionExpiredError)) setError(messageOf(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const sizeText = sizeString(size);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!sizeText) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.createVolume({ name: name.trim(), size: sizeText, policy: policy || undefined });
      onCreated();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="create-volume-title">
      <ModalHeader title="Create volume" labelId="create-volume-title" />
      <ModalBody>
        <ErrorAlert message={error} />
        <Form id="create-volume-form" onSubmit={submit}>
          <FormGroup label="Name" isRequired fieldId="volume-name">
            <TextInput id="volume-name" isRequired value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
          <FormGroup label="Size" isRequired fieldId="volume-size">
            <SizeInput id="volume-size" value={size} onChange={setSize} />
          </FormGroup>
          <FormGroup label="Storage policy" fieldId="volume-policy">
            <FormSelect id="volume-policy" value={policy} onChange={(_e, v) => setPolicy(v)}>
              {policies.length === 0 ? <FormSelectOption value="" label="No storage policy" isPlaceholder /> : null}
              {policies.map((p) => (
                <FormSelectOption key={p.name} value={p.name} label={`${p.name} (${p.redundancy})`} />
              ))}
            </FormSelect>
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button
          type="submit"
          form="create-volume-form"
          variant="primary"
          isLoading={busy}
          isDisabled={busy || name.trim() === '' || !sizeText}
        >
          Create
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}
