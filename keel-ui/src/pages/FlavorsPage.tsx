import { Button, FormGroup, PageSection, TextInput } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { FlavorView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { FormModal } from '../components/FormModal';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { SizeInput, sizeString, type Size } from '../components/SizeInput';
import { formatBytes } from '../format';
import { usePoll } from '../usePoll';

function FlavorsTable({ flavors, onDelete }: { flavors: FlavorView[]; onDelete(f: FlavorView): void }) {
  return (
    <RowsTable
      label="Flavors"
      testId="flavors-table"
      columns={['Name', 'vCPUs', 'RAM']}
      rows={flavors}
      emptyTitle="No flavors"
    >
      {(f) => (
        <Tr key={f.name} data-testid={`flavor-row-${f.name}`}>
          <Td dataLabel="Name">{f.name}</Td>
          <Td dataLabel="vCPUs">{f.vcpus}</Td>
          <Td dataLabel="RAM">{formatBytes(f.ramBytes)}</Td>
          <Td isActionCell className="keel-row-actions">
            <DangerRowButton ariaLabel={`Delete ${f.name}`} onClick={() => onDelete(f)} />
          </Td>
        </Tr>
      )}
    </RowsTable>
  );
}

export function FlavorsPage() {
  const api = useApi();
  const flavors = usePoll(api.flavors);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [vcpus, setVcpus] = useState('1');
  const [ram, setRam] = useState<Size>({ amount: '512', unit: 'M' });
  const [deleting, setDeleting] = useState<FlavorView>();
  const ramText = sizeString(ram);
  const vcpuCount = Number(vcpus);
  return (
    <>
      <ScreenHeader
        title="Flavors"
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create flavor
          </Button>
        }
      />
      <PageSection>
        <PolledView polled={flavors}>{(data) => <FlavorsTable flavors={data} onDelete={setDeleting} />}</PolledView>
      </PageSection>
      {creating ? (
        <FormModal
          title="Create flavor"
          submitLabel="Create"
          canSubmit={name.trim() !== '' && !!ramText && Number.isInteger(vcpuCount) && vcpuCount >= 1 && vcpuCount <= 256}
          onSubmit={() => api.createFlavor(name.trim(), vcpuCount, ramText ?? '')}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            setName('');
            flavors.refresh();
          }}
        >
          <FormGroup label="Name" isRequired fieldId="flavor-name">
            <TextInput id="flavor-name" value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
          <FormGroup label="vCPUs" isRequired fieldId="flavor-vcpus">
            <TextInput id="flavor-vcpus" type="number" min={1} max={256} value={vcpus} onChange={(_e, v) => setVcpus(v)} />
          </FormGroup>
          <FormGroup label="RAM" isRequired fieldId="flavor-ram">
            <SizeInput id="flavor-ram" value={ram} onChange={setRam} />
          </FormGroup>
        </FormModal>
      ) : null}
      <DangerConfirm
        target={deleting}
        title="Delete flavor?"
        onConfirm={(f) => api.deleteFlavor(f.name)}
        onClose={() => setDeleting(undefined)}
        onDone={flavors.refresh}
      >
        {(f) => `Flavor ${f.name} will be deleted; VMs made with it keep their vCPUs and RAM.`}
      </DangerConfirm>
    </>
  );
}
