import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Button,
  Checkbox,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  FormGroup,
  Gallery,
  PageSection,
  Tab,
  TabTitleText,
  Tabs,
  TextInput,
} from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { VmSnapshotView, VmView } from '../api/types';
import { useApi } from '../auth';
import { ConfirmModal } from '../components/ConfirmModal';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormModal } from '../components/FormModal';
import { LineChart } from '../components/LineChart';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { SerialConsole } from '../components/SerialConsole';
import { VncConsole } from '../components/VncConsole';
import { StatusLabel } from '../components/StatusLabel';
import { formatBytes, formatCount, formatRate, formatTime } from '../format';
import { usePoll } from '../usePoll';
import { useRunner } from '../useRunner';
import { addSample, sampleOf, vmSeries, type StatsSample } from '../vmstats';
import { ACTION_LABELS, DeleteVmModal, MigrateModal, PlacementModal, powerActions, useVmActions } from './VmActions';
import { FactRows } from '../components/FactRows';

function Overview({ vm }: { vm: VmView }) {
  const items: [string, string][] = [
    ['ID', vm.id],
    ['Node', vm.nodeName],
    ['Power', vm.power],
    ['Placement', vm.placement ?? '—'],
    ['Flavor', `${vm.flavor ?? '—'} (${vm.vcpus} vCPUs, ${vm.ramMiB} MiB)`],
    ['Image', vm.image ?? '—'],
    ['Disks', (vm.disks ?? []).map((d) => `${d.volume} ${formatBytes(d.sizeBytes)}${d.boot ? ' (boot)' : ''}`).join(', ') || '—'],
    ['HA', vm.ha ? `${vm.ha.state}${vm.ha.waiting ? `: ${vm.ha.waiting}` : ''}` : '—'],
    ['Created', formatTime(vm.createdAt)],
  ];
  if (vm.migration) {
    items.push(['Last migration', `${vm.migration.sourceName} → ${vm.migration.targetName}: ${vm.migration.phase} ${vm.migration.progress}%${vm.migration.reason ? ` (${vm.migration.reason})` : ''}`]);
  }
  return (
    <DescriptionList isCompact isHorizontal columnModifier={{ lg: '2Col' }} className="pf-v6-u-mt-md" data-testid="vm-overview">
      <DescriptionListGroup>
        <DescriptionListTerm>Status</DescriptionListTerm>
        <DescriptionListDescription>
          <StatusLabel status={vm.status} />
          {vm.statusReason ? ` ${vm.statusReason}` : ''}
        </DescriptionListDescription>
      </DescriptionListGroup>
      <FactRows items={items} />
    </DescriptionList>
  );
}

function ConsoleTab({ vm }: { vm: VmView }) {
  const [kind, setKind] = useState<'serial' | 'vnc'>('serial');
  return (
    <div className="pf-v6-u-mt-md">
      <div className="pf-v6-u-mb-sm">
        <Button variant={kind === 'serial' ? 'primary' : 'secondary'} size="sm" onClick={() => setKind('serial')}>
          Serial
        </Button>{' '}
        <Button variant={kind === 'vnc' ? 'primary' : 'secondary'} size="sm" onClick={() => setKind('vnc')}>
          VNC
        </Button>
      </div>
      {vm.power !== 'running' && vm.power !== 'paused' ? (
        <Alert variant="info" isInline title="The VM is not running" className="pf-v6-u-mb-sm">
          Start it to see its console.
        </Alert>
      ) : null}
      {kind === 'serial' ? (
        <SerialConsole key={`${vm.name}-${vm.power}`} vm={vm.name} />
      ) : (
        <VncConsole key={`${vm.name}-${vm.power}`} vm={vm.name} />
      )}
    </div>
  );
}

function MonitoringTab({ vm }: { vm: VmView }) {
  const api = useApi();
  const stats = usePoll(() => api.vmStats(vm.name), vm.name, 2000);
  const [samples, setSamples] = useState<StatsSample[]>([]);
  useEffect(() => {
    if (stats.data) setSamples((s) => addSample(s, sampleOf(stats.data!)));
  }, [stats.data]);
  const series = vmSeries(samples);
  return (
    <div className="pf-v6-u-mt-md" data-testid="vm-monitoring">
      <ErrorAlert message={stats.error} />
      {stats.data && !stats.data.running ? (
        <Alert variant="info" isInline title="No QEMU runs for this VM" className="pf-v6-u-mb-md">
          Counters show once the VM runs.
        </Alert>
      ) : null}
      <p className="pf-v6-u-mb-sm pf-v6-u-font-size-sm">
        {`Collected by ${stats.data?.nodeName ?? '—'} every second, sampled here every 2 s since this tab opened (${samples.length} samples).`}
      </p>
      <Gallery hasGutter minWidths={{ default: '100%', xl: '48%' }}>
        <LineChart title="CPU (% of one vCPU)" testId="chart-cpu" series={[{ name: 'CPU', points: series.cpuPercent }]} format={(v) => `${formatCount(v)}%`} />
        <LineChart
          title="Memory (QEMU resident)"
          testId="chart-memory"
          series={[{ name: 'RSS', points: series.rss }]}
          format={formatBytes}
          bytes
        />
        <LineChart
          title="Disk throughput"
          testId="chart-disk-bytes"
          series={[
            { name: 'read', points: series.readBytes },
            { name: 'write', points: series.writeBytes },
          ]}
          format={formatRate}
          bytes
        />
        <LineChart
          title="Disk operations"
          testId="chart-disk-ops"
          series={[
            { name: 'read', points: series.readOps },
            { name: 'write', points: series.writeOps },
          ]}
          format={(v) => `${formatCount(v)}/s`}
        />
      </Gallery>
    </div>
  );
}

function SnapshotsTab({ vm }: { vm: VmView }) {
  const api = useApi();
  const snapshots = usePoll(() => api.vmSnapshots(vm.name), vm.name);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [memory, setMemory] = useState(false);
  const [reverting, setReverting] = useState<VmSnapshotView>();
  const [startAfter, setStartAfter] = useState(false);
  const [deleting, setDeleting] = useState<VmSnapshotView>();
  const running = vm.power === 'running' || vm.power === 'paused';
  return (
    <div className="pf-v6-u-mt-md">
      <Button variant="secondary" className="pf-v6-u-mb-md" onClick={() => setCreating(true)}>
        Create snapshot
      </Button>
      <PolledView polled={snapshots}>
        {(list) => (
          <RowsTable
            label="VM snapshots"
            testId="vm-snapshots-table"
            columns={['Name', 'Taken', 'Memory', 'Disks', 'Guest paused']}
            rows={list}
            emptyTitle="No snapshots"
          >
            {(s) => (
              <Tr key={s.id} data-testid={`vm-snapshot-row-${s.name}`}>
                <Td dataLabel="Name">{s.name}</Td>
                <Td dataLabel="Taken">{formatTime(s.createdAt)}</Td>
                <Td dataLabel="Memory">{s.withMemory ? formatBytes(s.stateBytes) : 'no'}</Td>
                <Td dataLabel="Disks">{s.disks.map((d) => d.volume).join(', ')}</Td>
                <Td dataLabel="Guest paused">{`${s.pausedMillis} ms`}</Td>
                <Td isActionCell className="keel-row-actions">
                  <Button variant="secondary" size="sm" onClick={() => setReverting(s)}>
                    Revert
                  </Button>{' '}
                  <DangerRowButton onClick={() => setDeleting(s)} />
                </Td>
              </Tr>
            )}
          </RowsTable>
        )}
      </PolledView>
      {creating ? (
        <FormModal
          title={`Snapshot ${vm.name}`}
          submitLabel="Create"
          canSubmit={name.trim() !== ''}
          onSubmit={() => api.createVmSnapshot(vm.name, name.trim(), running && memory)}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            setName('');
            snapshots.refresh();
          }}
        >
          <FormGroup label="Name" isRequired fieldId="vm-snapshot-name">
            <TextInput id="vm-snapshot-name" value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
          <Checkbox
            id="vm-snapshot-memory"
            label="Include the guest's memory"
            description={running ? 'A revert then resumes the guest from this moment.' : 'Only for a running or paused VM.'}
            isDisabled={!running}
            isChecked={running && memory}
            onChange={(_e, on) => setMemory(on)}
          />
        </FormModal>
      ) : null}
      {reverting ? (
        <ConfirmModal
          title="Revert to snapshot?"
          confirmLabel="Revert"
          danger
          onConfirm={() => api.revertVmSnapshot(vm.name, reverting.name, startAfter)}
          onClose={() => setReverting(undefined)}
          onDone={() => {
            setReverting(undefined);
            snapshots.refresh();
          }}
        >
          <p>{`Every disk of ${vm.name} goes back to ${reverting.name}; later writes are lost. The VM must be stopped (the API refuses while it runs).`}</p>
          <Checkbox id="vm-revert-start" className="pf-v6-u-mt-md" label="Start the VM afterwards" isChecked={startAfter} onChange={(_e, on) => setStartAfter(on)} />
        </ConfirmModal>
      ) : null}
      <DangerConfirm
        target={deleting}
        title="Delete snapshot?"
        onConfirm={(s) => api.deleteVmSnapshot(vm.name, s.name)}
        onClose={() => setDeleting(undefined)}
        onDone={snapshots.refresh}
      >
        {(s) => `Snapshot ${s.name} and its volume snapshots will be deleted.`}
      </DangerConfirm>
    </div>
  );
}

export function VmDetailPage() {
  const api = useApi();
  const navigate = useNavigate();
  const name = useParams().vm ?? '';
  const vm = usePoll(() => api.vm(name), name);
  const runner = useRunner(vm.refresh);
  const act = useVmActions();
  const [tab, setTab] = useState<string | number>('overview');
  const [dialog, setDialog] = useState<'migrate' | 'placement' | 'delete'>();
  const done = () => {
    setDialog(undefined);
    vm.refresh();
  };
  const v = vm.data;
  return (
    <>
      <PageSection>
        <Breadcrumb>
          <BreadcrumbItem render={() => <Link to="/vms">VMs</Link>} />
          <BreadcrumbItem isActive>{name}</BreadcrumbItem>
        </Breadcrumb>
      </PageSection>
      <ScreenHeader
        title={`VM ${name}`}
        actions={
          v ? (
            <>
              {powerActions(v).map((a) => (
                <Button
                  key={a}
                  variant="secondary"
                  className="pf-v6-u-mr-sm"
                  isLoading={runner.busy === a}
                  isDisabled={!!runner.busy}
                  onClick={() => runner.run(a, () => act(v.name, a))}
                >
                  {ACTION_LABELS[a]}
                </Button>
              ))}
              <Button variant="secondary" className="pf-v6-u-mr-sm" isDisabled={v.power !== 'running'} onClick={() => setDialog('migrate')}>
                Migrate
              </Button>
              <Button variant="secondary" className="pf-v6-u-mr-sm" onClick={() => setDialog('placement')}>
                Placement
              </Button>
              <Button variant="danger" onClick={() => setDialog('delete')}>
                Delete
              </Button>
            </>
          ) : null
        }
      />
      <PageSection>
        <ErrorAlert message={runner.error} />
        <PolledView polled={vm}>
          {(data) => (
            <Tabs activeKey={tab} onSelect={(_e, key) => setTab(key)} aria-label="VM details" mountOnEnter unmountOnExit>
              <Tab eventKey="overview" title={<TabTitleText>Overview</TabTitleText>}>
                <Overview vm={data} />
              </Tab>
              <Tab eventKey="console" title={<TabTitleText>Console</TabTitleText>}>
                <ConsoleTab vm={data} />
              </Tab>
              <Tab eventKey="monitoring" title={<TabTitleText>Monitoring</TabTitleText>}>
                <MonitoringTab vm={data} />
              </Tab>
              <Tab eventKey="snapshots" title={<TabTitleText>Snapshots</TabTitleText>}>
                <SnapshotsTab vm={data} />
              </Tab>
            </Tabs>
          )}
        </PolledView>
      </PageSection>
      {v && dialog === 'migrate' ? <MigrateModal vm={v} onClose={() => setDialog(undefined)} onDone={done} /> : null}
      {v && dialog === 'placement' ? <PlacementModal vm={v} onClose={() => setDialog(undefined)} onDone={done} /> : null}
      {v && dialog === 'delete' ? <DeleteVmModal vm={v} onClose={() => setDialog(undefined)} onDone={() => navigate('/vms')} /> : null}
    </>
  );
}
