import { Button, Label, LabelGroup, PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import type { NodeView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { locationText } from '../format';
import { usePoll } from '../usePoll';
import { ConnectNodeModal } from './ConnectNodeModal';

function NodesTable({ nodes }: { nodes: NodeView[] }) {
  if (nodes.length === 0) {
    return <EmptyRows title="No nodes" />;
  }
  return (
    <Table aria-label="Nodes" variant="compact" data-testid="nodes-table">
      <Thead>
        <Tr>
          <Th>Name</Th>
          <Th>Status</Th>
          <Th>Address</Th>
          <Th>Roles</Th>
          <Th>Disks</Th>
          <Th>Location</Th>
          <Th>Heartbeat</Th>
        </Tr>
      </Thead>
      <Tbody>
        {nodes.map((node) => (
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
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function NodesPage() {
  const api = useApi();
  const nodes = usePoll(api.nodes);
  const [connecting, setConnecting] = useState(false);
  return (
    <>
      <ScreenHeader
        title="Nodes"
        actions={
          <Button variant="primary" onClick={() => setConnecting(true)}>
            Connect node
          </Button>
        }
      />
      <PageSection>
        <PolledView polled={nodes}>{(data) => <NodesTable nodes={data} />}</PolledView>
      </PageSection>
      {connecting ? <ConnectNodeModal onClose={() => setConnecting(false)} /> : null}
    </>
  );
}
