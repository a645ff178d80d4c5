import { Button, PageSection } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { IscsiGroupView } from '../api/types';
import { useApi } from '../auth';
import { ConfirmModal } from '../components/ConfirmModal';
import { DangerRowButton } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatTime } from '../format';
import { usePoll } from '../usePoll';
import { CreateIscsiGroupWizard } from './CreateIscsiGroupWizard';

export function accessText(group: IscsiGroupView): string {
  const who = group.access.initiators.length === 0 ? 'any initiator' : `${group.access.initiators.length} initiators`;
  if (!group.access.chapUser) {
    return who;
  }
  return `${who}, ${group.access.mutualChap ? 'mutual CHAP' : 'CHAP'}`;
}

function GroupsTable({ groups, onDelete }: { groups: IscsiGroupView[]; onDelete(group: IscsiGroupView): void }) {
  return (
    <RowsTable
      label="iSCSI target groups"
      testId="iscsi-groups-table"
      columns={['Name', 'Targets online', 'Portals', 'Sessions', 'LUNs', 'Access', 'Created']}
      rows={groups}
      emptyTitle="No iSCSI target groups"
    >
      {(g) => (
        <Tr key={g.id} data-testid={`iscsi-group-row-${g.name}`}>
          <Td dataLabel="Name">
            <Link to={`/iscsi/${encodeURIComponent(g.name)}`}>{g.name}</Link>
          </Td>
          <Td dataLabel="Targets online">{`${g.targets.filter((t) => t.state === 'online').length} of ${g.targets.length}`}</Td>
          <Td dataLabel="Portals">{g.targets.map((t) => `${t.nodeName} ${t.portal}`).join(', ')}</Td>
          <Td dataLabel="Sessions">{g.targets.reduce((sum, t) => sum + t.sessions, 0)}</Td>
          <Td dataLabel="LUNs">{g.luns.map((l) => `${l.lun}: ${l.volumeName}`).join(', ') || '—'}</Td>
          <Td dataLabel="Access">{accessText(g)}</Td>
          <Td dataLabel="Created">{formatTime(g.createdAt)}</Td>
          <Td isActionCell className="keel-row-actions">
            <DangerRowButton ariaLabel={`Delete ${g.name}`} onClick={() => onDelete(g)} />
          </Td>
        </Tr>
      )}
    </RowsTable>
  );
}

export function DeleteIscsiGroupModal({ group, onClose, onDone }: { group: IscsiGroupView; onClose(): void; onDone(): void }) {
  const api = useApi();
  return (
    <ConfirmModal
      title="Delete target group?"
      confirmLabel="Delete"
      danger
      onConfirm={() => api.deleteIscsiGroup(group.name)}
      onClose={onClose}
      onDone={onDone}
    >
      {group.luns.length > 0
        ? `Target group ${group.name} still exports ${group.luns.length} LUNs: the API refuses to delete it until they are removed.`
        : `Target group ${group.name} and its ${group.targets.length} targets will be deleted; initiators logged in lose them.`}
    </ConfirmModal>
  );
}

export function IscsiGroupsPage() {
  const api = useApi();
  const navigate = useNavigate();
  const groups = usePoll(api.iscsiGroups);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<IscsiGroupView>();
  return (
    <>
      <ScreenHeader
        title="Block storage: iSCSI target groups"
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create target group
          </Button>
        }
      />
      <PageSection>
        <PolledView polled={groups}>{(data) => <GroupsTable groups={data} onDelete={setDeleting} />}</PolledView>
      </PageSection>
      {creating ? (
        <CreateIscsiGroupWizard
          onClose={() => {
            setCreating(false);
            groups.refresh();
          }}
          onCreated={(name) => {
            setCreating(false);
            navigate(`/iscsi/${encodeURIComponent(name)}`);
          }}
        />
      ) : null}
      {deleting ? (
        <DeleteIscsiGroupModal
          group={deleting}
          onClose={() => setDeleting(undefined)}
          onDone={() => {
            setDeleting(undefined);
            groups.refresh();
          }}
        />
      ) : null}
    </>
  );
}
