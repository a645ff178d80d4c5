import { Button, FormGroup, PageSection, TextInput } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import type { LocationType, LocationView, NodeView } from '../api/types';
import { useApi } from '../auth';
import { DangerConfirm, DangerRowButton } from '../components/DangerAction';
import { EmptyRows } from '../components/EmptyRows';
import { FormModal } from '../components/FormModal';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { childType, locationTree } from '../locations';
import { usePoll } from '../usePoll';

interface Creating {
  type: LocationType;
  parent: LocationView | null;
}

export function LocationsPage() {
  const api = useApi();
  const data = usePoll<{ locations: LocationView[]; nodes: NodeView[] }>(async () => {
    const [locations, nodes] = await Promise.all([api.locations(), api.nodes()]);
    return { locations, nodes };
  });
  const [creating, setCreating] = useState<Creating>();
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<LocationView>();
  const nodeName = (id: string) => data.data?.nodes.find((n) => n.id === id)?.name ?? id;
  return (
    <>
      <ScreenHeader
        title="Locations"
        actions={
          <Button variant="primary" onClick={() => setCreating({ type: 'room', parent: null })}>
            Create room
          </Button>
        }
      />
      <PageSection>
        <PolledView polled={data}>
          {(d) =>
            d.locations.length === 0 ? (
              <EmptyRows title="No locations" body="Rooms hold rows, rows hold racks, racks hold nodes; policies can spread data over them." />
            ) : (
              <Table aria-label="Locations" variant="compact" data-testid="locations-table">
                <Thead>
                  <Tr>
                    <Th>Name</Th>
                    <Th>Type</Th>
                    <Th>Nodes</Th>
                    <Th screenReaderText="Actions" />
                  </Tr>
                </Thead>
                <Tbody>
                  {locationTree(d.locations).map(({ location: l, depth }) => {
                    const child = childType(l.type);
                    return (
                      <Tr key={l.id} data-testid={`location-row-${l.name}`}>
                        <Td dataLabel="Name">
                          <span style={{ paddingLeft: `${depth * 1.5}rem` }}>{l.name}</span>
                        </Td>
                        <Td dataLabel="Type">{l.type}</Td>
                        <Td dataLabel="Nodes">{l.nodeIds ? l.nodeIds.map(nodeName).join(', ') || '—' : ''}</Td>
                        <Td isActionCell className="keel-row-actions">
                          {child ? (
                            <>
                              <Button variant="secondary" size="sm" onClick={() => setCreating({ type: child, parent: l })}>
                                {`Add ${child}`}
                              </Button>{' '}
                            </>
                          ) : null}
                          <DangerRowButton ariaLabel={`Delete ${l.name}`} onClick={() => setDeleting(l)} />
                        </Td>
                      </Tr>
                    );
                  })}
                </Tbody>
              </Table>
            )
          }
        </PolledView>
      </PageSection>
      {creating ? (
        <FormModal
          title={creating.parent ? `Add ${creating.type} to ${creating.parent.name}` : 'Create room'}
          submitLabel="Create"
          canSubmit={name.trim() !== ''}
          onSubmit={() => api.createLocation(creating.type, name.trim(), creating.parent?.id)}
          onClose={() => setCreating(undefined)}
          onDone={() => {
            setCreating(undefined);
            setName('');
            data.refresh();
          }}
        >
          <FormGroup label="Name" isRequired fieldId="location-name">
            <TextInput id="location-name" value={name} onChange={(_e, v) => setName(v)} />
          </FormGroup>
        </FormModal>
      ) : null}
      <DangerConfirm
        target={deleting}
        title={`Delete ${deleting?.type ?? ''}?`}
        onConfirm={(l) => api.deleteLocation(l.id)}
        onClose={() => setDeleting(undefined)}
        onDone={data.refresh}
      >
        {(l) => `${l.name} will be deleted (it must be empty).`}
      </DangerConfirm>
    </>
  );
}
