import { Button, MenuToggle, PageSection } from '@patternfly/react-core';
import { EllipsisVIcon } from '@patternfly/react-icons';
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr, type IAction } from '@patternfly/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import type { VmView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { ErrorAlert } from '../components/ErrorAlert';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { mainAction } from '../compute';
import { usePoll } from '../usePoll';
import { useRunner } from '../useRunner';
import { ComputeGate } from './ComputeGate';
import { CreateVmWizard } from './CreateVmWizard';
import { ACTION_LABELS, DeleteVmModal, MigrateModal, PlacementModal, powerActions, useVmActions, type VmAction } from './VmActions';

type Dialog = { kind: 'migrate' | 'placement' | 'delete'; vm: VmView };

function VmsTable({
  vms,
  busy,
  onAction,
  onDialog,
}: {
  vms: VmView[];
  busy: string | undefined;
  onAction(vm: VmView, action: VmAction): void;
  onDialog(dialog: Dialog): void;
}) {
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
          <Th>Placement</Th>
          <Th>Flavor</Th>
          <Th>vCPUs</Th>
          <Th>RAM</Th>
          <Th>Image</Th>
          <Th screenReaderText="Actions" />
          <Th screenReaderText="More actions" />
        </Tr>
      </Thead>
      <Tbody>
        {vms.map((vm) => {
          const actions = powerActions(vm);
          const main = mainAction(actions);
          const more: IAction[] = [
            ...actions.filter((a) => a !== main).map((a) => ({ title: ACTION_LABELS[a], onClick: () => onAction(vm, a) })),
            { title: 'Migrate…', onClick: () => onDialog({ kind: 'migrate', vm }), isDisabled: vm.power !== 'running' },
            { title: 'Manage placement…', onClick: () => onDialog({ kind: 'placement', vm }) },
            { isSeparator: true },
            { title: 'Delete…', onClick: () => onDialog({ kind: 'delete', vm }), isDanger: true },
          ];
          return (
            <Tr key={vm.id} data-testid={`vm-row-${vm.name}`} data-status={vm.status}>
              <Td dataLabel="Name">
                <Link to={`/vms/${encodeURIComponent(vm.name)}`}>{vm.name}</Link>
              </Td>
              <Td dataLabel="Status">
                <StatusLabel status={vm.status} />
                {vm.migration && ['preparing', 'transferring', 'switching'].includes(vm.migration.phase) ? (
                  <div className="pf-v6-u-font-size-sm">{`migrating to ${vm.migration.targetName}: ${vm.migration.progress}%`}</div>
                ) : null}
                {vm.status === 'ERROR' && vm.statusReason ? <div className="pf-v6-u-font-size-sm">{vm.statusReason}</div> : null}
              </Td>
              <Td dataLabel="Node">{vm.nodeName}</Td>
              <Td dataLabel="Placement">{vm.placement ?? '—'}</Td>
              <Td dataLabel="Flavor">{vm.flavor ?? '—'}</Td>
              <Td dataLabel="vCPUs">{vm.vcpus}</Td>
              <Td dataLabel="RAM">{`${vm.ramMiB} MiB`}</Td>
              <Td dataLabel="Image">{vm.image ?? '—'}</Td>
              <Td>
                <Button
                  variant="secondary"
                  size="sm"
                  onClick={() => onAction(vm, main)}
                  isLoading={busy === `${vm.name}:${main}`}
                  isDisabled={!!busy}
                  aria-label={`${ACTION_LABELS[main]} ${vm.name}`}
                >
                  {ACTION_LABELS[main]}
                </Button>
              </Td>
              <Td isActionCell className="keel-row-actions">
                <ActionsColumn
                  actionsToggle={({ onToggle, isOpen, isDisabled, toggleRef }) => (
                    <MenuToggle
                      ref={toggleRef}
                      aria-label={`Actions for ${vm.name}`}
                      variant="plain"
                      onClick={onToggle}
                      isExpanded={isOpen}
                      isDisabled={isDisabled}
                      icon={<EllipsisVIcon />}
                    />
                  )}
                  items={more}
                />
              </Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
}

function VmList({ creating, onCreated, onCloseCreate }: { creating: boolean; onCreated(): void; onCloseCreate(): void }) {
  const api = useApi();
  const vms = usePoll(api.vms);
  const runner = useRunner(vms.refresh);
  const act = useVmActions();
  const [dialog, setDialog] = useState<Dialog>();
  const close = () => setDialog(undefined);
  const done = () => {
    setDialog(undefined);
    vms.refresh();
  };
  return (
    <>
      <ErrorAlert message={runner.error} />
      <PolledView polled={vms}>
        {(data) => (
          <VmsTable vms={data} busy={runner.busy} onAction={(vm, a) => runner.run(`${vm.name}:${a}`, () => act(vm.name, a))} onDialog={setDialog} />
        )}
      </PolledView>
      {dialog?.kind === 'migrate' ? <MigrateModal vm={dialog.vm} onClose={close} onDone={done} /> : null}
      {dialog?.kind === 'placement' ? <PlacementModal vm={dialog.vm} onClose={close} onDone={done} /> : null}
      {dialog?.kind === 'delete' ? <DeleteVmModal vm={dialog.vm} onClose={close} onDone={done} /> : null}
      {creating ? (
        <CreateVmWizard
          onClose={onCloseCreate}
          onCreated={() => {
            onCreated();
            vms.refresh();
          }}
        />
      ) : null}
    </>
  );
}

export function VmsPage() {
  const [creating, setCreating] = useState(false);
  return (
    <>
      <ScreenHeader
        title="Virtual machines"
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create VM
          </Button>
        }
      />
      <PageSection>
        <ComputeGate>
          {() => <VmList creating={creating} onCreated={() => setCreating(false)} onCloseCreate={() => setCreating(false)} />}
        </ComputeGate>
      </PageSection>
    </>
  );
}
