import { PageSection } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import type { ClusterEventView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatTime } from '../format';
import { usePoll } from '../usePoll';

function EventsTable({ events }: { events: ClusterEventView[] }) {
  if (events.length === 0) {
    return <EmptyRows title="No events" />;
  }
  // The API lists the newest last.
  const newestFirst = [...events].sort((a, b) => b.seq - a.seq);
  return (
    <Table aria-label="Events" variant="compact" data-testid="events-table">
      <Thead>
        <Tr>
          <Th>Time</Th>
          <Th>Type</Th>
          <Th>Event</Th>
          <Th>Duration</Th>
        </Tr>
      </Thead>
      <Tbody>
        {newestFirst.map((e) => (
          <Tr key={e.seq} data-testid="event-row">
            <Td dataLabel="Time">{formatTime(e.at)}</Td>
            <Td dataLabel="Type">{e.type}</Td>
            <Td dataLabel="Event">{e.text}</Td>
            <Td dataLabel="Duration">{e.seconds === null || e.seconds === undefined ? '—' : `${e.seconds.toFixed(1)} s`}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function EventsPage() {
  const api = useApi();
  const events = usePoll(api.events);
  return (
    <>
      <ScreenHeader title="Events" />
      <PageSection>
        <PolledView polled={events}>{(data) => <EventsTable events={data.events} />}</PolledView>
      </PageSection>
    </>
  );
}
