import { FormGroup, FormSelect, FormSelectOption, Radio, TextInput } from '@patternfly/react-core';
import { useState } from 'react';
import type { CreatePolicyRequest, FailureDomain } from '../api/types';
import { useApi } from '../auth';
import { FormModal } from '../components/FormModal';

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
  const request = (): CreatePolicyRequest => {
    const base: CreatePolicyRequest = { name: name.trim(), failureDomain: domain, tier: Number(tier) };
    return mode === 'replicas' ? { ...base, replicas: Number(replicas) } : { ...base, ec: ec.trim() };
  };

  return (
    <FormModal
      title="Create storage policy"
      submitLabel="Create"
      canSubmit={name.trim() !== ''}
      onSubmit={() => api.createPolicy(request())}
      onClose={onClose}
      onDone={onCreated}
    >
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
    </FormModal>
  );
}
