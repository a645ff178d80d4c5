import { Button, FormGroup, FormSelect, FormSelectOption, Modal, ModalBody, ModalFooter, ModalHeader, TextInput } from '@patternfly/react-core';
import { Td, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { PolicyView, SnapshotView, VolumeView } from '../api/types';
import { useApi } from '../auth';
import { ConfirmModal } from '../components/ConfirmModal';
import { DangerRowButton } from '../components/DangerAction';
import { RowsTable } from '../components/RowsTable';
import { FormModal } from '../components/FormModal';
import { PolledView } from '../components/PolledView';
import { formatBytes, formatTime } from '../format';
import { usePoll } from '../usePoll';

type Dialog = { kind: 'create' } | { kind: 'revert' | 'delete' | 'clone'; snapshot: SnapshotView };

/** A volume's snapshots: list, take, revert, delete and clone into a new volume. */
export function VolumeSnapshotsModal({ volume, onClose, onChanged }: { volume: VolumeView; onClose(): void; onChanged(): void }) {
  const api = useApi();
  const snapshots = usePoll(() => api.volumeSnapshots(volume.name), volume.name);
  const policies = usePoll<PolicyView[]>(api.policies, '', 30_000);
  const [dialog, setDialog] = useState<Dialog>();
  const [name, setName] = useState('');
  const [policy, setPolicy] = useState('');
  const close = () => {
    setDialog(undefined);
    setName('');
    setPolicy('');
  };
  const done = () => {
    close();
    snapshots.refresh();
    onChanged();
  };
  return (
    <>
      <Modal variant="large" isOpen={!dialog} onClose={onClose} aria-labelledby="volume-snapshots-title">
        <ModalHeader title={`Snapshots of ${volume.name}`} labelId="volume-snapshots-title" />
        <ModalBody>
          <Button variant="secondary" className="pf-v6-u-mb-md" onClick={() => setDialog({ kind: 'create' })}>
            Take snapshot
          </Button>
          <PolledView polled={snapshots}>
            {(list) => (
              <RowsTable
                label="Snapshots"
                testId="volume-snapshots-table"
                columns={['Name', 'Taken', 'Size', 'Chunks']}
                rows={list}
                emptyTitle="No snapshots"
              >
                {(s) => (
                  <Tr key={s.id} data-testid={`volume-snapshot-row-${s.name}`}>
                    <Td dataLabel="Name">{s.name}</Td>
                    <Td dataLabel="Taken">{formatTime(s.createdAt)}</Td>
                    <Td dataLabel="Size">{formatBytes(s.sizeBytes)}</Td>
                    <Td dataLabel="Chunks">{s.chunks}</Td>
                    <Td isActionCell className="keel-row-actions">
                      <Button variant="secondary" size="sm" onClick={() => setDialog({ kind: 'clone', snapshot: s })}>
                        Clone
                      </Button>{' '}
                      <Button variant="secondary" size="sm" onClick={() => setDialog({ kind: 'revert', snapshot: s })}>
                        Revert
                      </Button>{' '}
                      <DangerRowButton onClick={() => setDialog({ kind: 'delete', snapshot: s })} />
                    </Td>
                  </Tr>
                )}
              </RowsTable>
            )}
          </PolledView>
        </ModalBody>
        <ModalFooter>
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        </ModalFooter>
      </Modal>
      {dialog?.kind === 'create' ? (
        <FormModal
          title={`Snapshot ${volume.name}`}
          submitLabel="Take"
          canSubmit={name.trim() !== ''}
          onSubmit={() => api.createVolumeSnapshot(volume.name, name.trim())}
          onClose={close}
          onDone={done}
        >
          <FormGroup label="Name" isRequired fieldId="snapshot-name">
            <TextInput id="snapshot-name" value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
        </FormModal>
      ) : null}
      {dialog?.kind === 'clone' ? (
        <FormModal
          title={`Clone ${dialog.snapshot.name}`}
          submitLabel="Clone"
          canSubmit={name.trim() !== ''}
          onSubmit={() => api.cloneVolumeSnapshot(volume.name, dialog.snapshot.name, name.trim(), policy || undefined)}
          onClose={close}
          onDone={done}
        >
          <FormGroup label="New volume name" isRequired fieldId="clone-name">
            <TextInput id="clone-name" value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
          <FormGroup label="Storage policy" fieldId="clone-policy">
            <FormSelect id="clone-policy" value={policy} onChange={(_e, v) => setPolicy(v)}>
              <FormSelectOption value="" label="The snapshot's" />
              {(policies.data ?? [])
                .filter((p) => p.holdsVolumes)
                .map((p) => (
                  <FormSelectOption key={p.name} value={p.name} label={`${p.name} (${p.redundancy})`} />
                ))}
            </FormSelect>
          </FormGroup>
        </FormModal>
      ) : null}
      {dialog?.kind === 'revert' ? (
        <ConfirmModal
          title="Revert volume?"
          confirmLabel="Revert"
          danger
          onConfirm={() => api.revertVolumeSnapshot(volume.name, dialog.snapshot.name)}
          onClose={close}
          onDone={done}
        >
          {`${volume.name} becomes what it was at ${dialog.snapshot.name}, size included; later writes are lost. Refused while it is open for writing.`}
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmModal
          title="Delete snapshot?"
          confirmLabel="Delete"
          danger
          onConfirm={() => api.deleteVolumeSnapshot(volume.name, dialog.snapshot.name)}
          onClose={close}
          onDone={done}
        >
          {`Snapshot ${dialog.snapshot.name} will be deleted; clones made from it keep their data.`}
        </ConfirmModal>
      ) : null}
    </>
  );
}
