import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { NodeView } from '../api/types';
import { EmptyRows } from '../components/EmptyRows';
import { Loading } from '../components/Loading';
import { StatusLabel } from '../components/StatusLabel';

/** The node's interfaces as its inventory reports them; the node page's polling keeps them live. */
export function NodeNetworkTab({ node }: { node: NodeView | undefined }) {
  if (!node) {
    return <Loading />;
  }
  const interfaces = node.inventory?.interfaces ?? [];
  if (interfaces.length === 0) {
    return <EmptyRows title="No network interfaces reported" />;
  }
  return (
    <Table aria-label="Network interfaces" variant="compact" data-testid="network-table">
      <Thead>
        <Tr>
          <Th>Interface</Th>
          <Th>State</Th>
          <Th>Addresses</Th>
          <Th>MAC</Th>
          <Th>MTU</Th>
        </Tr>
      </Thead>
      <Tbody>
        {interfaces.map((i) => (
          <Tr key={i.name}>
            <Td dataLabel="Interface">{i.name}</Td>
            <Td dataLabel="State">
              <StatusLabel status={i.up ? 'up' : 'down'} />
            </Td>
            <Td dataLabel="Addresses">{i.addresses.join(', ') || '—'}</Td>
            <Td dataLabel="MAC">{i.mac ?? '—'}</Td>
            <Td dataLabel="MTU">{i.mtu}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}
