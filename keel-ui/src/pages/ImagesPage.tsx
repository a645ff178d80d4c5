import { PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { ImageView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatusLabel } from '../components/StatusLabel';
import { formatBytes, formatTime } from '../format';
import { usePoll } from '../usePoll';

function ImagesTable({ images }: { images: ImageView[] }) {
  if (images.length === 0) {
    return <EmptyRows title="No images" body="Upload one with the CLI: keel image upload FILE --name NAME." />;
  }
  return (
    <Table aria-label="Images" variant="compact" data-testid="images-table">
      <Thead>
        <Tr>
          <Th>Name</Th>
          <Th>Status</Th>
          <Th>Format</Th>
          <Th>OS</Th>
          <Th>File size</Th>
          <Th>Disk size</Th>
          <Th>Policy</Th>
          <Th>Created</Th>
        </Tr>
      </Thead>
      <Tbody>
        {images.map((i) => (
          <Tr key={i.id} data-testid={`image-row-${i.name}`}>
            <Td dataLabel="Name">{i.name}</Td>
            <Td dataLabel="Status">
              <StatusLabel status={i.status} />
              {i.statusReason ? <div className="pf-v6-u-font-size-sm">{i.statusReason}</div> : null}
            </Td>
            <Td dataLabel="Format">{i.format ?? '—'}</Td>
            <Td dataLabel="OS">{i.osType}</Td>
            <Td dataLabel="File size">{formatBytes(i.sizeBytes)}</Td>
            <Td dataLabel="Disk size">{i.virtualSizeBytes > 0 ? formatBytes(i.virtualSizeBytes) : '—'}</Td>
            <Td dataLabel="Policy">{i.policy}</Td>
            <Td dataLabel="Created">{formatTime(i.createdAt)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function ImagesPage() {
  const api = useApi();
  const images = usePoll(api.images);
  return (
    <>
      <ScreenHeader title="Images" />
      <PageSection>
        <PolledView polled={images}>{(data) => <ImagesTable images={data} />}</PolledView>
      </PageSection>
    </>
  );
}
