import { Button, MenuToggle, PageSection, Progress, ProgressMeasureLocation, ProgressSize } from '@patternfly/react-core';
import { EllipsisVIcon } from '@patternfly/react-icons';
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { VolumeView } from '../api/types';
import { useApi } from '../auth';
import { ConfirmModal } from '../components/ConfirmModal';
import { EmptyRows } from '../components/EmptyRows';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { StorageHealthCard } from '../components/StorageHealthCard';
import { formatBytes } from '../format';
import { usePoll } from '../usePoll';
import { CreateVolumeModal } from './CreateVolumeModal';
import { ExtendVolumeModal } from './ExtendVolumeModal';
import { VolumeSnapshotsModal } from './VolumeSnapshotsModal';

interface RowActions {
  onSnapshots(volume: VolumeView): void;
  onExtend(volume: VolumeView): void;
  onDelete(volume: VolumeView): void;
}

function Usage({ volume }: { volume: VolumeView }) {
  const percent = volume.sizeBytes > 0 ? (100 * volume.allocatedBytes) / volume.sizeBytes : 0;
  return (
    <Progress
      value={percent}
      size={ProgressSize.sm}
      measureLocation={ProgressMeasureLocation.outside}
      label={`${formatBytes(volume.allocatedBytes)} of ${formatBytes(volume.sizeBytes)}`}
      aria-label={`Usage of ${volume.name}`}
      style={{ minWidth: '12rem' }}
    />
  );
}

function VolumesTable({ volumes, onSnapshots, onExtend, onDelete }: { volumes: VolumeView[] } & RowActions) {
  if (volumes.length === 0) {
    return <EmptyRows title="No volumes" />;
  }
  return (
    <Table aria-label="Volumes" variant="compact" data-testid="volumes-table">
      <Thead>
        <Tr>
          <Th>Name</Th>
          <Th>Size</Th>
          <Th>Policy</Th>
          <Th>Used</Th>
          <Th>Health</Th>
          <Th>Writer</Th>
          <Th screenReaderText="Actions" />
        </Tr>
      </Thead>
      <Tbody>
        {volumes.map((v) => (
          <Tr key={v.id} data-testid={`volume-row-${v.name}`}>
            <Td dataLabel="Name">{v.name}</Td>
            <Td dataLabel="Size">{formatBytes(v.sizeBytes)}</Td>
            <Td dataLabel="Policy">{v.redundancy ? `${v.policy} (${v.redundancy})` : v.policy}</Td>
            <Td dataLabel="Used">
              <Usage volume={v} />
            </Td>
            <Td dataLabel="Health">
              <StatusLabel status={v.health} />
              {v.healthReason ? <div className="pf-v6-u-font-size-sm">{v.healthReason}</div> : null}
            </Td>
            <Td dataLabel="Writer">{v.leaseHolder ?? '—'}</Td>
            <Td isActionCell className="keel-row-actions">
              <ActionsColumn
                actionsToggle={({ onToggle, isOpen, isDisabled, toggleRef }) => (
                  <MenuToggle
                    ref={toggleRef}
                    aria-label={`Actions for ${v.name}`}
                    variant="plain"
                    onClick={onToggle}
                    isExpanded={isOpen}
                    isDisabled={isDisabled}
                    icon={<EllipsisVIcon />}
                  />
                )}
                items={[
                  { title: 'Snapshots', onClick: () => onSnapshots(v) },
                  { title: 'Extend', onClick: () => onExtend(v) },
                  { title: 'Delete', onClick: () => onDelete(v), isDanger: true },
                ]}
              />
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function VolumesPage() {
  const api = useApi();
  const volumes = usePoll(api.volumes);
  const [creating, setCreating] = useState(false);
  const [extending, setExtending] = useState<VolumeView>();
  const [snapshotting, setSnapshotting] = useState<VolumeView>();
  const [deleting, setDeleting] = useState<VolumeView>();
  const changed = (close: () => void) => () => {
    close();
    volumes.refresh();
  };

  return (
    <>
      <ScreenHeader
        title="Volumes"
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create volume
          </Button>
        }
      />
      <PageSection>
        <StorageHealthCard />
        <PolledView polled={volumes}>
          {(data) => <VolumesTable volumes={data} onSnapshots={setSnapshotting} onExtend={setExtending} onDelete={setDeleting} />}
        </PolledView>
      </PageSection>
      {creating ? (
        <CreateVolumeModal onClose={() => setCreating(false)} onCreated={changed(() => setCreating(false))} />
      ) : null}
      {snapshotting ? (
        <VolumeSnapshotsModal volume={snapshotting} onClose={() => setSnapshotting(undefined)} onChanged={volumes.refresh} />
      ) : null}
      {extending ? (
        <ExtendVolumeModal
          volume={extending}
          onClose={() => setExtending(undefined)}
          onDone={changed(() => setExtending(undefined))}
        />
      ) : null}
      {deleting ? (
        <ConfirmModal
          title="Delete volume?"
          confirmLabel="Delete"
          danger
          onConfirm={() => api.deleteVolume(deleting.name)}
          onClose={() => setDeleting(undefined)}
          onDone={changed(() => setDeleting(undefined))}
        >
          {`Volume ${deleting.name} and all its data will be deleted.`}
        </ConfirmModal>
      ) : null}
    </>
  );
}
