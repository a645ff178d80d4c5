import { Button, Checkbox, FormGroup, FormHelperText, FormSelect, FormSelectOption, HelperText, HelperTextItem, TextInput } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { DiskRole, DiskView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { FormModal } from '../components/FormModal';
import { PolledView } from '../components/PolledView';
import { formatBytes } from '../format';
import { usePoll } from '../usePoll';

const ROLES: { value: DiskRole; label: string }[] = [
  { value: 'none', label: 'None (unused)' },
  { value: 'storage', label: 'Storage (chunk service)' },
  { value: 'metadata', label: 'Metadata' },
  { value: 'cache', label: 'Cache' },
  { value: 'metadata+cache', label: 'Metadata and cache' },
];

/** Roles that take a tier (the API sets it for storage, cache and metadata+cache). */
export function roleHasTier(role: DiskRole): boolean {
  return role === 'storage' || role === 'cache' || role === 'metadata+cache';
}

function RoleModal({ node, disk, onClose, onDone }: { node: string; disk: DiskView; onClose(): void; onDone(): void }) {
  const api = useApi();
  const [role, setRole] = useState<DiskRole>(disk.role === 'system' ? 'none' : disk.role);
  const [tier, setTier] = useState(String(disk.tier ?? 0));
  const [checksumming, setChecksumming] = useState(disk.checksumming);
  const [caching, setCaching] = useState(disk.caching);
  const tierNumber = Number(tier);
  const tierOk = !roleHasTier(role) || (/^\d+$/.test(tier.trim()) && tierNumber >= 0 && tierNumber <= 3);
  return (
    <FormModal
      title={`Disk role: ${disk.device}`}
      submitLabel="Assign"
      canSubmit={tierOk}
      onSubmit={() =>
        api.setDiskRole(node, disk.id, {
          role,
          tier: roleHasTier(role) ? tierNumber : undefined,
          checksumming: role === 'storage' ? checksumming : undefined,
          caching: role === 'storage' ? caching : undefined,
        })
      }
      onClose={onClose}
      onDone={onDone}
    >
      <FormGroup label="Role" fieldId="disk-role">
        <FormSelect id="disk-role" value={role} onChange={(_e, v) => setRole(v as DiskRole)}>
          {ROLES.map((r) => (
            <FormSelectOption key={r.value} value={r.value} label={r.label} />
          ))}
        </FormSelect>
        {disk.system ? (
          <FormHelperText>
            <HelperText>
              <HelperTextItem variant="warning">This is the system disk.</HelperTextItem>
            </HelperText>
          </FormHelperText>
        ) : null}
      </FormGroup>
      {roleHasTier(role) ? (
        <FormGroup label="Tier" fieldId="disk-tier">
          <TextInput id="disk-tier" type="number" min={0} max={3} value={tier} onChange={(_e, v) => setTier(v)} validated={tierOk ? 'default' : 'error'} />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>0 to 3; storage policies place data on a tier.</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
      ) : null}
      {role === 'storage' ? (
        <>
          <Checkbox id="disk-checksumming" label="Checksumming" isChecked={checksumming} onChange={(_e, on) => setChecksumming(on)} />
          <Checkbox id="disk-caching" label="Caching (use this node's cache disk)" isChecked={caching} onChange={(_e, on) => setCaching(on)} />
        </>
      ) : null}
    </FormModal>
  );
}

function DisksTable({ disks, onAssign }: { disks: DiskView[]; onAssign(disk: DiskView): void }) {
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
          <Th>Options</Th>
          <Th screenReaderText="Actions" />
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
            <Td dataLabel="Options">{[d.checksumming ? 'checksumming' : '', d.caching ? 'caching' : ''].filter(Boolean).join(', ') || '—'}</Td>
            <Td isActionCell className="keel-row-actions">
              <Button variant="secondary" size="sm" onClick={() => onAssign(d)} aria-label={`Assign role of ${d.device}`}>
                Assign role
              </Button>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function NodeDisksTab({ node }: { node: string }) {
  const api = useApi();
  const disks = usePoll(() => api.nodeDisks(node), node);
  const [assigning, setAssigning] = useState<DiskView>();
  return (
    <>
      <PolledView polled={disks}>{(d) => <DisksTable disks={d} onAssign={setAssigning} />}</PolledView>
      {assigning ? (
        <RoleModal
          node={node}
          disk={assigning}
          onClose={() => setAssigning(undefined)}
          onDone={() => {
            setAssigning(undefined);
            disks.refresh();
          }}
        />
      ) : null}
    </>
  );
}
