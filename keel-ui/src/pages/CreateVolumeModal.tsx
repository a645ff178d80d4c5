import { FormGroup, FormSelect, FormSelectOption, TextInput } from '@patternfly/react-core';
import { useEffect, useState } from 'react';
import { SessionExpiredError, messageOf } from '../api/client';
import type { PolicyView } from '../api/types';
import { useApi } from '../auth';
import { FormModal } from '../components/FormModal';
import { SizeInput, sizeString, type Size } from '../components/SizeInput';

export function CreateVolumeModal({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [size, setSize] = useState<Size>({ amount: '10', unit: 'G' });
  const [policy, setPolicy] = useState('');
  const [policies, setPolicies] = useState<PolicyView[]>([]);
  const [loadError, setLoadError] = useState<string>();

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
        if (!cancelled && !(e instanceof SessionExpiredError)) setLoadError(messageOf(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const sizeText = sizeString(size);

  return (
    <FormModal
      title="Create volume"
      submitLabel="Create"
      canSubmit={name.trim() !== '' && !!sizeText}
      loadError={loadError}
      onSubmit={() => api.createVolume({ name: name.trim(), size: sizeText ?? '', policy: policy || undefined })}
      onClose={onClose}
      onDone={onCreated}
    >
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
    </FormModal>
  );
}
