import {
  Button,
  Checkbox,
  DescriptionList,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  HelperText,
  HelperTextItem,
  Radio,
  TextInput,
  WizardStep,
} from '@patternfly/react-core';
import { TrashIcon } from '@patternfly/react-icons';
import { useState } from 'react';
import type { ComputeClusterView, FlavorView, ImageView, Placement, PolicyView, VolumeView } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { WizardModal } from '../components/WizardModal';
import { SizeInput, sizeString, type Size } from '../components/SizeInput';
import { bySize } from '../compute';
import { formatBytes } from '../format';
import { usePoll } from '../usePoll';
import { useSubmit } from '../useSubmit';
import { FactRows } from '../components/FactRows';

interface Choices {
  flavors: FlavorView[];
  images: ImageView[];
  volumes: VolumeView[];
  policies: PolicyView[];
  compute: ComputeClusterView;
}

interface Disk {
  size: Size;
  policy: string;
}

export function CreateVmWizard({ onClose, onCreated }: { onClose(): void; onCreated(): void }) {
  const api = useApi();
  const choices = usePoll<Choices>(async () => {
    const [flavors, images, volumes, policies, compute] = await Promise.all([
      api.flavors(),
      api.images(),
      api.volumes(),
      api.policies(),
      api.compute(),
    ]);
    return { flavors: bySize(flavors), images, volumes, policies: policies.filter((p) => p.holdsVolumes), compute };
  });
  const [name, setName] = useState('');
  const [flavor, setFlavor] = useState('');
  const [boot, setBoot] = useState<'image' | 'volume'>('image');
  const [image, setImage] = useState('');
  const [bootSize, setBootSize] = useState<Size>({ amount: '', unit: 'G' });
  const [volume, setVolume] = useState('');
  const [policy, setPolicy] = useState('');
  const [disks, setDisks] = useState<Disk[]>([]);
  const [node, setNode] = useState('');
  const [placement, setPlacement] = useState<Placement>('auto');
  const [start, setStart] = useState(true);
  const { busy, error, run } = useSubmit();

  const data = choices.data;
  const activeImages = (data?.images ?? []).filter((i) => i.status === 'ACTIVE');
  const flavorName = flavor || data?.flavors[0]?.name || '';
  const imageName = image || activeImages[0]?.name || '';
  const volumeName = volume || data?.volumes[0]?.name || '';
  const bootSizeText = bootSize.amount.trim() === '' ? undefined : sizeString(bootSize);
  const bootOk = boot === 'image' ? imageName !== '' && (bootSize.amount.trim() === '' || !!bootSizeText) : volumeName !== '';
  const disksOk = disks.every((d) => !!sizeString(d.size));

  const create = async () => {
    await run(async () => {
      await api.createVm({
        name: name.trim(),
        flavor: flavorName,
        image: boot === 'image' ? imageName : undefined,
        bootSize: boot === 'image' ? bootSizeText : undefined,
        volume: boot === 'volume' ? volumeName : undefined,
        policy: policy || undefined,
        disks: disks.length > 0 ? disks.map((d) => ({ size: sizeString(d.size) ?? '', policy: d.policy || undefined })) : undefined,
        node: node || undefined,
        placement,
        start,
        waitSeconds: 0,
      });
      onCreated();
    });
  };

  const policySelect = (id: string, value: string, onChange: (v: string) => void) => (
    <FormSelect id={id} aria-label="Storage policy" value={value} onChange={(_e, v) => onChange(v)}>
      <FormSelectOption value="" label="Default (the only policy)" />
      {(data?.policies ?? []).map((p) => (
        <FormSelectOption key={p.name} value={p.name} label={`${p.name} (${p.redundancy})`} />
      ))}
    </FormSelect>
  );

  return (
    <WizardModal
      title="Create VM"
      testId="vm-wizard"
      data={data}
      loadError={choices.error}
      onClose={onClose}
    >
      {(data) => (
        <>
          <WizardStep name="Name and flavor" id="vm-step-name" footer={{ isNextDisabled: name.trim() === '' || flavorName === '' }}>
            <Form onSubmit={(e) => e.preventDefault()}>
              <FormGroup label="Name" isRequired fieldId="vm-name">
                <TextInput id="vm-name" value={name} onChange={(_e, v) => setName(v)} />
              </FormGroup>
              <FormGroup label="Flavor" isRequired fieldId="vm-flavor">
                <FormSelect id="vm-flavor" value={flavorName} onChange={(_e, v) => setFlavor(v)}>
                  {data.flavors.length === 0 ? <FormSelectOption value="" label="No flavors: create one first" isPlaceholder /> : null}
                  {data.flavors.map((f) => (
                    <FormSelectOption key={f.name} value={f.name} label={`${f.name} (${f.vcpus} vCPUs, ${f.ramMiB} MiB)`} />
                  ))}
                </FormSelect>
              </FormGroup>
            </Form>
          </WizardStep>
          <WizardStep name="Boot disk" id="vm-step-boot" footer={{ isNextDisabled: !bootOk }}>
            <Form onSubmit={(e) => e.preventDefault()}>
              <FormGroup role="radiogroup" fieldId="vm-boot" label="Boot from">
                <Radio id="vm-boot-image" name="vm-boot" label="A clone of an image" isChecked={boot === 'image'} onChange={() => setBoot('image')} />
                <Radio id="vm-boot-volume" name="vm-boot" label="An existing volume" isChecked={boot === 'volume'} onChange={() => setBoot('volume')} />
              </FormGroup>
              {boot === 'image' ? (
                <>
                  <FormGroup label="Image" isRequired fieldId="vm-image">
                    <FormSelect id="vm-image" value={imageName} onChange={(_e, v) => setImage(v)}>
                      {activeImages.length === 0 ? <FormSelectOption value="" label="No ACTIVE image" isPlaceholder /> : null}
                      {activeImages.map((i) => (
                        <FormSelectOption
                          key={i.id}
                          value={i.name}
                          label={`${i.name} (${i.format ?? '?'}, ${formatBytes(i.virtualSizeBytes)})`}
                        />
                      ))}
                    </FormSelect>
                  </FormGroup>
                  <FormGroup label="Boot disk size" fieldId="vm-boot-size">
                    <SizeInput id="vm-boot-size" value={bootSize} onChange={setBootSize} />
                    <FormHelperText>
                      <HelperText>
                        <HelperTextItem>Empty: the image&apos;s own disk size.</HelperTextItem>
                      </HelperText>
                    </FormHelperText>
                  </FormGroup>
                </>
              ) : (
                <FormGroup label="Volume" isRequired fieldId="vm-volume">
                  <FormSelect id="vm-volume" value={volumeName} onChange={(_e, v) => setVolume(v)}>
                    {data.volumes.length === 0 ? <FormSelectOption value="" label="No volumes" isPlaceholder /> : null}
                    {data.volumes.map((v) => (
                      <FormSelectOption key={v.id} value={v.name} label={`${v.name} (${formatBytes(v.sizeBytes)})`} />
                    ))}
                  </FormSelect>
                </FormGroup>
              )}
              <FormGroup label="Storage policy of the volumes made for the VM" fieldId="vm-policy">
                {policySelect('vm-policy', policy, setPolicy)}
              </FormGroup>
            </Form>
          </WizardStep>
          <WizardStep name="Extra volumes" id="vm-step-disks" footer={{ isNextDisabled: !disksOk }}>
            {disks.map((d, i) => (
              <Form key={i} isHorizontal onSubmit={(e) => e.preventDefault()} className="pf-v6-u-mb-md">
                <FormGroup label={`Disk ${i + 1}`} fieldId={`vm-disk-${i}`}>
                  <SizeInput id={`vm-disk-${i}`} value={d.size} onChange={(size) => setDisks(disks.map((x, j) => (j === i ? { ...x, size } : x)))} />
                </FormGroup>
                <FormGroup label="Policy" fieldId={`vm-disk-${i}-policy`}>
                  {policySelect(`vm-disk-${i}-policy`, d.policy, (p) => setDisks(disks.map((x, j) => (j === i ? { ...x, policy: p } : x))))}
                </FormGroup>
                <Button variant="link" isDanger icon={<TrashIcon />} onClick={() => setDisks(disks.filter((_x, j) => j !== i))}>
                  Remove disk
                </Button>
              </Form>
            ))}
            <Button variant="secondary" onClick={() => setDisks([...disks, { size: { amount: '10', unit: 'G' }, policy: '' }])}>
              Add volume
            </Button>
          </WizardStep>
          <WizardStep name="Placement" id="vm-step-placement">
            <Form onSubmit={(e) => e.preventDefault()}>
              <FormGroup label="Node" fieldId="vm-node">
                <FormSelect id="vm-node" value={node} onChange={(_e, v) => setNode(v)}>
                  <FormSelectOption value="" label="Automatic (the live compute node with the most free RAM)" />
                  {data.compute.nodes.map((n) => (
                    <FormSelectOption
                      key={n.id}
                      value={n.name}
                      label={`${n.name} (${n.status}, ${n.vcpus - n.vcpusAllocated} vCPUs, ${formatBytes(n.ramBytes - n.ramAllocatedBytes)} free)`}
                    />
                  ))}
                </FormSelect>
              </FormGroup>
              <FormGroup label="Placement strategy" role="radiogroup" fieldId="vm-placement" isInline>
                {(['auto', 'failover', 'pinned'] as Placement[]).map((p) => (
                  <Radio key={p} id={`vm-placement-${p}`} name="vm-placement" label={p} isChecked={placement === p} onChange={() => setPlacement(p)} />
                ))}
              </FormGroup>
            </Form>
          </WizardStep>
          <WizardStep
            name="Summary"
            id="vm-step-summary"
            footer={{ nextButtonText: 'Create', onNext: create, isNextDisabled: busy, nextButtonProps: { isLoading: busy } }}
          >
            <ErrorAlert message={error} />
            <DescriptionList isHorizontal isCompact>
              <FactRows
                items={[
                  ['Name', name.trim()],
                  ['Flavor', flavorName],
                  ['Boot disk', boot === 'image' ? `clone of ${imageName}${bootSizeText ? `, ${bootSizeText}` : ''}` : volumeName],
                  ['Extra volumes', disks.map((d) => `${sizeString(d.size)}${d.policy ? ` on ${d.policy}` : ''}`).join(', ') || 'none'],
                  ['Node', node || 'automatic'],
                  ['Placement', placement],
                ]}
              />
            </DescriptionList>
            <Checkbox id="vm-start" className="pf-v6-u-mt-md" label="Start the VM once created" isChecked={start} onChange={(_e, on) => setStart(on)} />
          </WizardStep>
        </>
      )}
    </WizardModal>
  );
}
