import {
  Breadcrumb,
  BreadcrumbItem,
  Button,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PageSection,
  Tab,
  TabTitleText,
  Tabs,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { SessionExpiredError, messageOf } from '../api/client';
import type { IscsiGroupView, IscsiLunView, VolumeView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { EmptyRows } from '../components/EmptyRows';
import { ErrorAlert } from '../components/ErrorAlert';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { formatBytes, formatTime } from '../format';
import { usePoll } from '../usePoll';
import { DeleteIscsiGroupModal, accessText } from './IscsiGroupsPage';
import { useSubmit } from '../useSubmit';

function AddLunModal({ group, onClose, onDone }: { group: IscsiGroupView; onClose(): void; onDone(): void }) {
  const api = useApi();
  const [volumes, setVolumes] = useState<VolumeView[]>();
  const [volume, setVolume] = useState('');
  const { busy, error, setError, run } = useSubmit();

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.volumes(), api.iscsiGroups()]).then(
      ([all, groups]) => {
        if (cancelled) return;
        const exported = new Set(groups.flatMap((g) => g.luns.map((l) => l.volumeName)));
        const free = all.filter((v) => !exported.has(v.name));
        setVolumes(free);
        setVolume(free[0]?.name ?? '');
      },
      (e: unknown) => {
        if (!cancelled && !(e instanceof SessionExpiredError)) setError(messageOf(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  const add = async () => {
    await run(async () => {
      await api.addIscsiLun(group.name, volume);
      onDone();
    });
  };

  return (
    <Modal variant="small" isOpen onClose={onClose} aria-labelledby="add-lun-title">
      <ModalHeader title="Add LUN" labelId="add-lun-title" />
      <ModalBody>
        <ErrorAlert message={error} />
        <Form onSubmit={(e) => e.preventDefault()}>
          <FormGroup label="Volume" fieldId="lun-volume">
            <FormSelect id="lun-volume" value={volume} onChange={(_e, v) => setVolume(v)}>
              {volumes && volumes.length === 0 ? <FormSelectOption value="" label="No volume that is not exported" isPlaceholder /> : null}
              {(volumes ?? []).map((v) => (
                <FormSelectOption key={v.id} value={v.name} label={`${v.name} (${formatBytes(v.sizeBytes)})`} />
              ))}
            </FormSelect>
          </FormGroup>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button variant="primary" onClick={add} isLoading={busy} isDisabled={busy || !volume}>
          Add
        </Button>
        <Button variant="link" onClick={onClose}>
          Cancel
        </Button>
      </ModalFooter>
    </Modal>
  );
}

function LunsTab({ group, onChanged }: { group: IscsiGroupView; onChanged(): void }) {
  const api = useApi();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<IscsiLunView>();
  return (
    <>
      <Button variant="secondary" className="pf-v6-u-my-md" onClick={() => setAdding(true)}>
        Add LUN
      </Button>
      {group.luns.length === 0 ? (
        <EmptyRows title="No LUNs" />
      ) : (
        <Table aria-label="LUNs" variant="compact" data-testid="luns-table">
          <Thead>
            <Tr>
              <Th>LUN</Th>
              <Th>Volume</Th>
              <Th>Size</Th>
              <Th>Active path</Th>
              <Th>HA state</Th>
              <Th screenReaderText="Actions" />
            </Tr>
          </Thead>
          <Tbody>
            {group.luns.map((l) => (
              <Tr key={l.lun} data-testid={`lun-row-${l.volumeName}`}>
                <Td dataLabel="LUN">{l.lun}</Td>
                <Td dataLabel="Volume">{l.volumeName}</Td>
                <Td dataLabel="Size">{formatBytes(l.sizeBytes)}</Td>
                <Td dataLabel="Active path">{l.activeNodeName ?? 'none'}</Td>
                <Td dataLabel="HA state">{l.haState ?? '—'}</Td>
                <Td isActionCell className="keel-row-actions">
                  <DangerRowButton label="Remove" ariaLabel={`Remove LUN ${l.lun}`} onClick={() => setRemoving(l)} />
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {adding ? (
        <AddLunModal
          group={group}
          onClose={() => setAdding(false)}
          onDone={() => {
            setAdding(false);
            onChanged();
          }}
        />
      ) : null}
      <DangerConfirm
        target={removing}
        title="Remove LUN?"
        confirmLabel="Remove"
        onConfirm={(lun) => api.removeIscsiLun(group.name, lun.lun)}
        onClose={() => setRemoving(undefined)}
        onDone={onChanged}
      >
        {(lun) => `LUN ${lun.lun} (${lun.volumeName}) stops being exported; the volume stays.`}
      </DangerConfirm>
    </>
  );
}

function PathsTab({ group }: { group: IscsiGroupView }) {
  const api = useApi();
  // The LUNs view carries each path's ALUA state.
  const luns = usePoll(() => api.iscsiLuns(group.name), group.name);
  return (
    <PolledView polled={luns}>
      {(list) =>
        list.length === 0 ? (
          <EmptyRows title="No LUNs" body="Paths show once the group exports a LUN." />
        ) : (
          <Table aria-label="Paths" variant="compact" data-testid="paths-table">
            <Thead>
              <Tr>
                <Th>LUN</Th>
                <Th>Volume</Th>
                <Th>Node</Th>
                <Th>Portal</Th>
                <Th>Port group</Th>
                <Th>ALUA state</Th>
              </Tr>
            </Thead>
            <Tbody>
              {list.flatMap((l) =>
                (l.paths ?? []).map((p) => (
                  <Tr key={`${l.lun}-${p.node}`} data-testid={`path-${l.lun}-${p.nodeName}`} data-alua={p.alua}>
                    <Td dataLabel="LUN">{l.lun}</Td>
                    <Td dataLabel="Volume">{l.volumeName}</Td>
                    <Td dataLabel="Node">{p.nodeName}</Td>
                    <Td dataLabel="Portal">{p.portal}</Td>
                    <Td dataLabel="Port group">{p.portGroup}</Td>
                    <Td dataLabel="ALUA state">
                      <StatusLabel status={p.alua} />
                    </Td>
                  </Tr>
                )),
              )}
            </Tbody>
          </Table>
        )
      }
    </PolledView>
  );
}

function TargetsTab({ group }: { group: IscsiGroupView }) {
  return (
    <>
      <DescriptionList isHorizontal isCompact className="pf-v6-u-my-md">
        <DescriptionListGroup>
          <DescriptionListTerm>Access</DescriptionListTerm>
          <DescriptionListDescription>
            {accessText(group)}
            {group.access.initiators.length > 0 ? `: ${group.access.initiators.join(', ')}` : ''}
            {group.access.chapUser ? ` (CHAP user ${group.access.chapUser})` : ''}
          </DescriptionListDescription>
        </DescriptionListGroup>
        <DescriptionListGroup>
          <DescriptionListTerm>Created</DescriptionListTerm>
          <DescriptionListDescription>{formatTime(group.createdAt)}</DescriptionListDescription>
        </DescriptionListGroup>
      </DescriptionList>
      <Table aria-label="Targets" variant="compact" data-testid="targets-table">
        <Thead>
          <Tr>
            <Th>Node</Th>
            <Th>IQN</Th>
            <Th>Portal</Th>
            <Th>State</Th>
            <Th>Sessions</Th>
          </Tr>
        </Thead>
        <Tbody>
          {group.targets.map((t) => (
            <Tr key={t.node}>
              <Td dataLabel="Node">{t.nodeName}</Td>
              <Td dataLabel="IQN">{t.iqn}</Td>
              <Td dataLabel="Portal">{t.portal}</Td>
              <Td dataLabel="State">
                <StatusLabel status={t.state} />
              </Td>
              <Td dataLabel="Sessions">{t.sessions}</Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </>
  );
}

export function IscsiGroupDetailPage() {
  const api = useApi();
  const navigate = useNavigate();
  const name = useParams().group ?? '';
  const group = usePoll(() => api.iscsiGroup(name), name);
  const [tab, setTab] = useState<string | number>('luns');
  const [deleting, setDeleting] = useState(false);
  return (
    <>
      <PageSection>
        <Breadcrumb>
          <BreadcrumbItem render={() => <Link to="/iscsi">Block storage</Link>} />
          <BreadcrumbItem isActive>{name}</BreadcrumbItem>
        </Breadcrumb>
      </PageSection>
      <ScreenHeader
        title={`Target group ${name}`}
        actions={
          group.data ? (
            <Button variant="danger" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          ) : null
        }
      />
      <PageSection>
        <PolledView polled={group}>
          {(g) => (
            <Tabs activeKey={tab} onSelect={(_e, key) => setTab(key)} aria-label="Target group details">
              <Tab eventKey="luns" title={<TabTitleText>LUNs</TabTitleText>}>
                {tab === 'luns' ? <LunsTab group={g} onChanged={group.refresh} /> : null}
              </Tab>
              <Tab eventKey="paths" title={<TabTitleText>Paths</TabTitleText>}>
                {tab === 'paths' ? <PathsTab group={g} /> : null}
              </Tab>
              <Tab eventKey="targets" title={<TabTitleText>Targets and access</TabTitleText>}>
                {tab === 'targets' ? <TargetsTab group={g} /> : null}
              </Tab>
            </Tabs>
          )}
        </PolledView>
      </PageSection>
      {deleting && group.data ? (
        <DeleteIscsiGroupModal group={group.data} onClose={() => setDeleting(false)} onDone={() => navigate('/iscsi')} />
      ) : null}
    </>
  );
}
