import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  PageSection,
  Spinner,
  Tab,
  TabTitleText,
  Tabs,
} from '@patternfly/react-core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { NodeView } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { formatBytes, formatTime, locationText } from '../format';
import { usePoll } from '../usePoll';
import { MaintenanceModal } from './MaintenanceModal';
import { MoveNodeModal, ReleaseControls } from './NodeReleaseMove';
import { NodeDisksTab } from './NodeDisksTab';
import { NodeNetworkTab } from './NodeNetworkTab';
import { useSubmit } from '../useSubmit';
import { FactRows } from '../components/FactRows';

function Overview({ node }: { node: NodeView }) {
  const inv = node.inventory;
  const items: [string, string][] = [
    ['ID', node.id],
    ['Address', `${node.address}:${node.apiPort}`],
    ['Hostname', inv?.hostname ?? '—'],
    ['OS', inv?.os ?? '—'],
    ['CPU', inv ? `${inv.cpuCores} cores${inv.cpuModel ? `, ${inv.cpuModel}` : ''}` : '—'],
    ['Memory', formatBytes(inv?.memoryBytes)],
    ['Location', locationText(node.location)],
    ['Joined', formatTime(node.joinedAt)],
    ['In storage cluster', node.inCluster ? 'yes' : 'no'],
  ];
  if (node.release) {
    items.push(['Release', node.release]);
  }
  items.push(['Maintenance', node.maintenance ? 'yes' : 'no']);
  return (
    <>
      {node.release ? (
        <Alert variant="info" isInline title="Releasing: data moves to other nodes" className="pf-v6-u-mb-md" data-testid="node-release">
          <Spinner size="md" aria-label="Releasing" /> {node.release}
        </Alert>
      ) : null}
      <DescriptionList isCompact isHorizontal columnModifier={{ lg: '2Col' }} data-testid="node-overview">
        <DescriptionListGroup>
          <DescriptionListTerm>Status</DescriptionListTerm>
          <DescriptionListDescription data-testid="node-status" data-status={node.status} data-maintenance={String(node.maintenance)}>
            <StatusLabel status={node.status} />
          </DescriptionListDescription>
        </DescriptionListGroup>
        <FactRows items={items} />
      </DescriptionList>
    </>
  );
}

function MaintenanceButton({ node, onChanged }: { node: NodeView; onChanged(): void }) {
  const api = useApi();
  const [planning, setPlanning] = useState(false);
  const { busy, error, run } = useSubmit({ settle: true });

  const leave = async () => {
    await run(async () => {
      await api.leaveMaintenance(node.name);
      onChanged();
    });
  };

  return (
    <>
      {node.maintenance ? (
        <Button variant="secondary" onClick={leave} isLoading={busy} isDisabled={busy}>
          Leave maintenance
        </Button>
      ) : (
        <Button variant="secondary" onClick={() => setPlanning(true)}>
          Enter maintenance
        </Button>
      )}
      {error ? (
        <div className="pf-v6-u-mt-sm">
          <ErrorAlert message={error} />
        </div>
      ) : null}
      {planning ? (
        <MaintenanceModal
          node={node.name}
          onClose={() => setPlanning(false)}
          onDone={() => {
            setPlanning(false);
            onChanged();
          }}
        />
      ) : null}
    </>
  );
}

export function NodeDetailPage() {
  const api = useApi();
  const name = useParams().node ?? '';
  const node = usePoll(() => api.node(name), name);
  const [tab, setTab] = useState<string | number>('disks');
  const [moving, setMoving] = useState(false);

  return (
    <>
      <PageSection>
        <Breadcrumb>
          <BreadcrumbItem render={() => <Link to="/nodes">Nodes</Link>} />
          <BreadcrumbItem isActive>{name}</BreadcrumbItem>
        </Breadcrumb>
      </PageSection>
      <ScreenHeader
        title={`Node ${name}`}
        actions={
          node.data ? (
            <>
              <Button variant="secondary" className="pf-v6-u-mr-sm" onClick={() => setMoving(true)}>
                Move to rack
              </Button>
              <ReleaseControls node={node.data} onChanged={node.refresh} />
              <MaintenanceButton node={node.data} onChanged={node.refresh} />
            </>
          ) : null
        }
      />
      <PageSection>
        <PolledView polled={node}>{(n) => <Overview node={n} />}</PolledView>
      </PageSection>
      <PageSection>
        <Tabs activeKey={tab} onSelect={(_e, key) => setTab(key)} aria-label="Node details">
          <Tab eventKey="disks" title={<TabTitleText>Disks</TabTitleText>}>
            {tab === 'disks' ? <NodeDisksTab node={name} /> : null}
          </Tab>
          <Tab eventKey="network" title={<TabTitleText>Network</TabTitleText>}>
            {tab === 'network' ? <NodeNetworkTab node={node.data} /> : null}
          </Tab>
        </Tabs>
      </PageSection>
      {moving && node.data ? (
        <MoveNodeModal
          node={node.data}
          onClose={() => setMoving(false)}
          onDone={() => {
            setMoving(false);
            node.refresh();
          }}
        />
      ) : null}
    </>
  );
}
