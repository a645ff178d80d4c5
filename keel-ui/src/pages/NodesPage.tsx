import { Button, Label, LabelGroup, PageSection } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import type { NodeView } from '../api/types';
import { useApi } from '../auth';
import { ErrorAlert } from '../components/ErrorAlert';
import { PolledView } from '../components/PolledView';
import { RowsTable } from '../components/RowsTable';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { locationText } from '../format';
import { usePoll } from '../usePoll';
import { useSubmit } from '../useSubmit';
import { ConnectNodeModal } from './ConnectNodeModal';
import { StorageClusterModal } from './StorageClusterModal';

function NodesTable({ nodes, clusterExists, onJoin }: {
  nodes: NodeView[];
  clusterExists: boolean;
  onJoin(node: string): void;
}) {
  return (
    <RowsTable
      label="Nodes"
      testId="nodes-table"
      columns={['Name', 'Status', 'Address', 'Roles', 'Disks', 'Location', 'Heartbeat']}
      rows={nodes}
      emptyTitle="No nodes"
    >
      {(node) => (
        <Tr key={node.id} data-testid={`node-row-${node.name}`}>
          <Td dataLabel="Name">
            <Link to={`/nodes/${encodeURIComponent(node.name)}`}>{node.name}</Link>
          </Td>
          <Td dataLabel="Status">
            <StatusLabel status={node.status} />
            {node.release ? <div className="pf-v6-u-font-size-sm">{node.release}</div> : null}
          </Td>
          <Td dataLabel="Address">{`${node.address}:${node.apiPort}`}</Td>
          <Td dataLabel="Roles">
            <LabelGroup numLabels={5}>
              {node.roles.map((role) => (
                <Label key={role} isCompact>
                  {role}
                </Label>
              ))}
            </LabelGroup>
          </Td>
          <Td dataLabel="Disks">{node.inventory ? node.inventory.disks.length : '—'}</Td>
          <Td dataLabel="Location">{locationText(node.location)}</Td>
          <Td dataLabel="Heartbeat">
            {node.heartbeatAgeMs === null ? '—' : `${(node.heartbeatAgeMs / 1000).toFixed(1)} s ago`}
          </Td>
          <Td dataLabel="Actions">
            {clusterExists && !node.inCluster ? (
              <Button variant="secondary" size="sm" onClick={() => onJoin(node.name)}>
                Join to cluster
              </Button>
            ) : null}
          </Td>
        </Tr>
      )}
    </RowsTable>
  );
}

export function NodesPage() {
  const api = useApi();
  const nodes = usePoll(api.nodes);
  const cluster = usePoll(api.cluster);
  const [connecting, setConnecting] = useState(false);
  const [creating, setCreating] = useState(false);
  const joining = useSubmit({ settle: true });
  // Before the storage cluster exists, nodes only share the metadata: creating it comes first.
  const clusterExists = cluster.data ? cluster.data.name !== null : true;
  const join = (node: string) =>
    joining.run(async () => {
      await api.joinStorageCluster(node);
      nodes.refresh();
    });
  return (
    <>
      <ScreenHeader
        title="Nodes"
        actions={
          <>
            {!clusterExists ? (
              <Button variant="primary" onClick={() => setCreating(true)}>
                Create storage cluster
              </Button>
            ) : null}
            <Button variant={clusterExists ? 'primary' : 'secondary'} onClick={() => setConnecting(true)}>
              Connect node
            </Button>
          </>
        }
      />
      <PageSection>
        <ErrorAlert message={joining.error} />
        <PolledView polled={nodes}>
          {(data) => <NodesTable nodes={data} clusterExists={clusterExists} onJoin={join} />}
        </PolledView>
      </PageSection>
      {connecting ? <ConnectNodeModal onClose={() => setConnecting(false)} /> : null}
      {creating && nodes.data ? (
        <StorageClusterModal
          nodes={nodes.data}
          onClose={() => setCreating(false)}
          onDone={() => {
            setCreating(false);
            cluster.refresh();
            nodes.refresh();
          }}
        />
      ) : null}
    </>
  );
}
