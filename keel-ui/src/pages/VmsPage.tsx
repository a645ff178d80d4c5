import { Button, PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { messageOf } from '../api/client';
import type { VmView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { ErrorAlert } from '../components/ErrorAlert';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { usePoll } from '../usePoll';

type Action = 'start' | 'stop';

function PowerButton({ vm, onAction }: { vm: VmView; onAction(vm: VmView, action: Action): Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const action: Action = vm.power === 'running' || vm.power === 'paused' ? 'stop' : 'start';
  const label = action === 'start' ? 'Start' : 'Stop';
  const run = async () => {
    setBusy(true);
    await onAction(vm, action);
    setBusy(false);
  };
  return (
    <Button variant="secondary" size="sm" onClick={run} isLoading={busy} isDisabled={busy} aria-label={`${label} ${vm.name}`}>
      {label}
    </Button>
  );
}

function VmsTable({ vms, onAction }: { vms: VmView[]; onAction(vm: VmView, action: Action): Promise<void> }) {
  if (vms.length === 0) {
    return <EmptyRows title="No VMs" />;
  }
  return (
    <Table aria-label="VMs" variant="compact" data-testid="vms-table">
      <Thead>
        <Tr>
          <Th>Name</Th>
          <Th>Status</Th>
          <Th>Node</Th>
          <Th>Flavor</Th>
          <Th>vCPUs</Th>
          <Th>RAM</Th>
          <Th>Image</Th>
          <Th screenReaderText="Actions" />
        </Tr>
      </Thead>
      <Tbody>
        {vms.map((vm) => (
          <Tr key={vm.id} data-testid={`vm-row-${vm.name}`}>
            <Td dataLabel="Name">{vm.name}</Td>
            <Td dataLabel="Status">
              <StatusLabel status={vm.status} />
              {vm.status === 'ERROR' && vm.statusReason ? <div className="pf-v6-u-font-size-sm">{vm.statusReason}</div> : null}
            </Td>
            <Td dataLabel="Node">{vm.nodeName}</Td>
            <Td dataLabel="Flavor">{vm.flavor ?? '—'}</Td>
            <Td dataLabel="vCPUs">{vm.vcpus}</Td>
            <Td dataLabel="RAM">{`${vm.ramMiB} MiB`}</Td>
            <Td dataLabel="Image">{vm.image ?? '—'}</Td>
            <Td isActionCell>
              <PowerButton vm={vm} onAction={onAction} />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function VmsPage() {
  const api = useApi();
  const vms = usePoll(api.vms);
  const [error, setError] = useState<string>();

  const onAction = async (vm: VmView, action: Action) => {
    setError(undefined);
    try {
      await (action === 'start' ? api.startVm(vm.name) : api.stopVm(vm.name));
    } catch (e) {
      setError(messageOf(e));
    }
    vms.refresh();
  };

  return (
    <>
      <ScreenHeader title="Virtual machines" />
      <PageSection>
        <ErrorAlert message={error} />
        <PolledView polled={vms}>{(data) => <VmsTable vms={data} onAction={onAction} />}</PolledView>
      </PageSection>
    </>
  );
}
