import { Checkbox, FormGroup, FormHelperText, FormSelect, FormSelectOption, HelperText, HelperTextItem, Radio } from '@patternfly/react-core';
import { useEffect, useState } from 'react';
import type { ComputeNodeView, Placement, VmView } from '../api/types';
import { useApi } from '../auth';
import { ConfirmModal } from '../components/ConfirmModal';
import { FormModal } from '../components/FormModal';
import { powerActions, type VmAction } from '../compute';

export { powerActions, type VmAction };

export const ACTION_LABELS: Record<VmAction, string> = {
  start: 'Start',
  stop: 'Stop',
  'force-stop': 'Force stop',
  reboot: 'Reboot',
  suspend: 'Suspend',
  resume: 'Resume',
};

export function useVmActions() {
  const api = useApi();
  return (vm: string, action: VmAction) => {
    switch (action) {
      case 'start':
        return api.startVm(vm);
      case 'stop':
        return api.stopVm(vm);
      case 'force-stop':
        return api.stopVm(vm, true);
      case 'reboot':
        return api.rebootVm(vm);
      case 'suspend':
        return api.suspendVm(vm);
      case 'resume':
        return api.resumeVm(vm);
    }
  };
}

function useComputeNodes(): ComputeNodeView[] {
  const api = useApi();
  const [nodes, setNodes] = useState<ComputeNodeView[]>([]);
  useEffect(() => {
    let cancelled = false;
    api.compute().then(
      (c) => {
        if (!cancelled) setNodes(c.nodes);
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [api]);
  return nodes;
}

export function MigrateModal({ vm, onClose, onDone }: { vm: VmView; onClose(): void; onDone(): void }) {
  const api = useApi();
  const nodes = useComputeNodes().filter((n) => n.id !== vm.node && n.name !== vm.nodeName);
  const [node, setNode] = useState('');
  const target = node || nodes[0]?.name || '';
  return (
    <FormModal
      title={`Migrate ${vm.name}`}
      submitLabel="Migrate"
      canSubmit={target !== ''}
      onSubmit={() => api.migrateVm(vm.name, target)}
      onClose={onClose}
      onDone={onDone}
    >
      <FormGroup label="To node" fieldId="migrate-node">
        <FormSelect id="migrate-node" value={target} onChange={(_e, v) => setNode(v)}>
          {nodes.length === 0 ? <FormSelectOption value="" label="No other compute node" isPlaceholder /> : null}
          {nodes.map((n) => (
            <FormSelectOption key={n.id} value={n.name} label={`${n.name} (${n.status}, ${n.vcpus - n.vcpusAllocated} vCPUs free)`} />
          ))}
        </FormSelect>
        <FormHelperText>
          <HelperText>
            <HelperTextItem>{vm.power === 'running' ? 'Live migration: the VM keeps running.' : 'The API live-migrates running VMs only.'}</HelperTextItem>
          </HelperText>
        </FormHelperText>
      </FormGroup>
    </FormModal>
  );
}

const STRATEGIES: { value: Placement; label: string; description: string }[] = [
  { value: 'auto', label: 'Auto', description: 'Restarted on the node with the most free resources when its node is lost, and may move.' },
  { value: 'failover', label: 'Failover', description: 'Restarted elsewhere only when its node is lost.' },
  { value: 'pinned', label: 'Pinned', description: 'Never moves; held stopped when its lost node returns until started by hand.' },
];

export function PlacementModal({ vm, onClose, onDone }: { vm: VmView; onClose(): void; onDone(): void }) {
  const api = useApi();
  const nodes = useComputeNodes();
  const [strategy, setStrategy] = useState<Placement>(vm.placement ?? 'auto');
  const [node, setNode] = useState('');
  return (
    <FormModal
      title={`Manage placement: ${vm.name}`}
      submitLabel="Save"
      onSubmit={() => api.setPlacement(vm.name, strategy, node || undefined)}
      onClose={onClose}
      onDone={onDone}
    >
      <FormGroup label="Strategy" role="radiogroup" fieldId="placement-strategy">
        {STRATEGIES.map((s) => (
          <Radio
            key={s.value}
            id={`placement-${s.value}`}
            name="placement-strategy"
            label={s.label}
            description={s.description}
            isChecked={strategy === s.value}
            onChange={() => setStrategy(s.value)}
          />
        ))}
      </FormGroup>
      <FormGroup label="Node" fieldId="placement-node">
        <FormSelect id="placement-node" value={node} onChange={(_e, v) => setNode(v)}>
          <FormSelectOption value="" label={`Where it is (${vm.nodeName})`} />
          {nodes
            .filter((n) => n.name !== vm.nodeName)
            .map((n) => (
              <FormSelectOption key={n.id} value={n.name} label={n.name} />
            ))}
        </FormSelect>
        <FormHelperText>
          <HelperText>
            <HelperTextItem>Another node moves the VM there by live migration (the API may refuse it; its message shows here).</HelperTextItem>
          </HelperText>
        </FormHelperText>
      </FormGroup>
    </FormModal>
  );
}

export function DeleteVmModal({ vm, onClose, onDone }: { vm: VmView; onClose(): void; onDone(): void }) {
  const api = useApi();
  const [volumes, setVolumes] = useState(true);
  return (
    <ConfirmModal
      title="Delete VM?"
      confirmLabel="Delete"
      danger
      onConfirm={() => api.deleteVm(vm.name, volumes)}
      onClose={onClose}
      onDone={onDone}
    >
      <p>{`VM ${vm.name} will be deleted, stopped at once if it runs.`}</p>
      <Checkbox
        id="delete-vm-volumes"
        className="pf-v6-u-mt-md"
        label="Also delete the volumes made for it"
        isChecked={volumes}
        onChange={(_e, on) => setVolumes(on)}
      />
    </ConfirmModal>
  );
}
