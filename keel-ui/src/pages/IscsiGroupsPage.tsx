import { PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { IscsiGroupView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatTime } from '../format';
import { usePoll } from '../usePoll';

function access(group: IscsiGroupView): string {
  const who = group.access.initiators.length === 0 ? 'any initiator' : `${group.access.initiators.length} initiators`;
  if (!group.access.chapUser) {
    return who;
  }
  return `${who}, ${group.access.mutualChap ? 'mutual CHAP' : 'CHAP'}`;
}

function GroupsTable({ groups }: { groups: IscsiGroupView[] }) {
  if (groups.length === 0) {
    return <EmptyRows title="No iSCSI target groups" />;
  }
  return (
    <Table aria-label="iSCSI target groups" variant="compact" data-testid="iscsi-groups-table">
      <Thead>
        <Tr>
          <Th>Name</Th>
          <Th>Targets online</Th>
          <Th>Portals</Th>
          <Th>Sessions</Th>
          <Th>LUNs</Th>
          <Th>Access</Th>
          <Th>Created</Th>
        </Tr>
      </Thead>
      <Tbody>
        {groups.map((g) => (
          <Tr key={g.id} data-testid={`iscsi-group-row-${g.name}`}>
            <Td dataLabel="Name">{g.name}</Td>
            <Td dataLabel="Targets online">{`${g.targets.filter((t) => t.state === 'online').length} of ${g.targets.length}`}</Td>
            <Td dataLabel="Portals">{g.targets.map((t) => `${t.nodeName} ${t.portal}`).join(', ')}</Td>
            <Td dataLabel="Sessions">{g.targets.reduce((sum, t) => sum + t.sessions, 0)}</Td>
            <Td dataLabel="LUNs">{g.luns.map((l) => `${l.lun}: ${l.volumeName}`).join(', ') || '—'}</Td>
            <Td dataLabel="Access">{access(g)}</Td>
            <Td dataLabel="Created">{formatTime(g.createdAt)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function IscsiGroupsPage() {
  const api = useApi();
  const groups = usePoll(api.iscsiGroups);
  return (
    <>
      <ScreenHeader title="Block storage: iSCSI target groups" />
      <PageSection>
        <PolledView polled={groups}>{(data) => <GroupsTable groups={data} />}</PolledView>
      </PageSection>
    </>
  );
}
