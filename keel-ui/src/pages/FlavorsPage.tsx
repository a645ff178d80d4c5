import { PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { FlavorView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatBytes } from '../format';
import { usePoll } from '../usePoll';

function FlavorsTable({ flavors }: { flavors: FlavorView[] }) {
  if (flavors.length === 0) {
    return <EmptyRows title="No flavors" body="Creating the compute cluster installs the default flavors." />;
  }
  return (
    <Table aria-label="Flavors" variant="compact" data-testid="flavors-table">
      <Thead>
        <Tr>
          <Th>Name</Th>
          <Th>vCPUs</Th>
          <Th>RAM</Th>
        </Tr>
      </Thead>
      <Tbody>
        {flavors.map((f) => (
          <Tr key={f.name} data-testid={`flavor-row-${f.name}`}>
            <Td dataLabel="Name">{f.name}</Td>
            <Td dataLabel="vCPUs">{f.vcpus}</Td>
            <Td dataLabel="RAM">{formatBytes(f.ramBytes)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function FlavorsPage() {
  const api = useApi();
  const flavors = usePoll(api.flavors);
  return (
    <>
      <ScreenHeader title="Flavors" />
      <PageSection>
        <PolledView polled={flavors}>{(data) => <FlavorsTable flavors={data} />}</PolledView>
      </PageSection>
    </>
  );
}
