import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { DiskView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { PolledView } from '../components/PolledView';
import { formatBytes } from '../format';
import { usePoll } from '../usePoll';

function DisksTable({ disks }: { disks: DiskView[] }) {
  if (disks.length === 0) {
    return <EmptyRows title="No disks" />;
  }
  return (
    <Table aria-label="Disks" variant="compact" data-testid="disks-table">
      <Thead>
        <Tr>
          <Th>Device</Th>
          <Th>Kind</Th>
          <Th>Size</Th>
          <Th>Media</Th>
          <Th>Model</Th>
          <Th>Role</Th>
          <Th>Tier</Th>
        </Tr>
      </Thead>
      <Tbody>
        {disks.map((d) => (
          <Tr key={d.id} data-testid={`disk-row-${d.id}`}>
            <Td dataLabel="Device">{d.device}</Td>
            <Td dataLabel="Kind">{d.kind}</Td>
            <Td dataLabel="Size">{formatBytes(d.sizeBytes)}</Td>
            <Td dataLabel="Media">{d.rotational ? 'HDD' : 'SSD'}</Td>
            <Td dataLabel="Model">{d.model ?? '—'}</Td>
            <Td dataLabel="Role">{d.system ? `${d.role} (system disk)` : d.role}</Td>
            <Td dataLabel="Tier">{d.tier ?? '—'}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function NodeDisksTab({ node }: { node: string }) {
  const api = useApi();
  const disks = usePoll(() => api.nodeDisks(node), node);
  return <PolledView polled={disks}>{(d) => <DisksTable disks={d} />}</PolledView>;
}
