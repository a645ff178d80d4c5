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
  Radio,
  TextInput,
} from '@patternfly/react-core';
import { useState, type FormEvent } from 'react';
import { messageOf } from '../api/client';
import type { CreatePolicyRequest, FailureDomain } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';

const DOMAINS: FailureDomain[] = ['disk', 'host', 'rack', 'row', 'room'];

type Mode = 'replicas' | 'ec';

export function CreatePolicyModal({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<Mode>('replicas');
  const [replicas, setReplicas] = useState('3');
  const [ec, setEc] = useState('4+2');
  const [domain, setDomain] = useState<FailureDomain>('host');
  const [tier, setTier] = useState('0');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    const request: CreatePolicyRequest = { name: name.trim(), failureDomain: domain, tier: Number(tier) };
    if (mode === 'replicas') {
      request.replicas = Number(replicas);
    } else {
      request.ec = ec.trim();
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.createPolicy(request);
      onCreated();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };

  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="create-policy-title">
      <ModalHeader title="Create storage policy" labelId="create-policy-title" />
      <ModalBody>
        <ErrorAlert message={error} />
        <Form id="create-policy-form" onSubmit={submit}>
          <FormGroup label="Name" isRequired fieldId="policy-name">
            <TextInput id="policy-name" isRequired value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
          <FormGroup label="Redundancy" role="radiogroup" isInline fieldId="policy-mode">
            <Radio
              id="policy-mode-replicas"
              name="policy-mode"
              label="Replicas"
              isChecked={mode === 'replicas'}
              onChange={() => setMode('replicas')}
            />
            <Radio
              id="policy-mode-ec"
              name="policy-mode"
              label="Erasure coding"
              isChecked={mode === 'ec'}
              onChange={() => setMode('ec')}
            />
          </FormGroup>
          {mode === 'replicas' ? (
            <FormGroup label="Replica count" fieldId="policy-replicas">
              <FormSelect id="policy-replicas" value={replicas} onChange={(_e, v) => setReplicas(v)}>
                {['1', '2', '3'].map((n) => (
                  <FormSelectOption key={n} value={n} label={n} />
                ))}
              </FormSelect>
            </FormGroup>
          ) : (
            <FormGroup label="Data + parity (M+N)" fieldId="policy-ec">
              <TextInput id="policy-ec" value={ec} onChange={(_e, v) => setEc(v)} placeholder="4+2" />
            </FormGroup>
          )}
          <FormGroup label="Failure domain" fieldId="policy-domain">
            <FormSelect id="policy-domain" value={domain} onChange={(_e, v) => setDomain(v as FailureDomain)}>
              {DOMAINS.map((d) => (
                <FormSelectOption key={d} value={d} label={d} />
              ))}
            </FormSelect>
          </FormGroup>
          <FormGroup label="Tier" fieldId="policy-tier">
            <FormSelect id="policy-tier" value={tier} onChange={(_e, v) => setTier(v)}>
              {['0', '1', '2', '3'].map((t) => (
                <FormSelectOption key={t} value={t} label={t} />
              ))}
            </FormSelect>
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button
          type="submit"
          form="create-policy-form"
          variant="primary"
          isLoading={busy}
          isDisabled={busy || name.trim() === ''}
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
