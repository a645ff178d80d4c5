import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  PageSection,
  Title,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { ApiError } from '../api/client';
import type { S3BucketView, S3ClusterView, S3UserView } from '../api/types';
import { useApi } from '../auth';
import { EmptyRows } from '../components/EmptyRows';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { formatTime } from '../format';
import { usePoll } from '../usePoll';

interface S3Overview {
  cluster: S3ClusterView | null;
  users: S3UserView[];
  buckets: S3BucketView[];
}

function ClusterSummary({ cluster }: { cluster: S3ClusterView | null }) {
  if (!cluster) {
    return <EmptyRows title="No S3 cluster" body="Create one with the CLI: keel s3 cluster create." />;
  }
  const ports = [cluster.httpPort ? `HTTP ${cluster.httpPort}` : '', cluster.httpsPort ? `HTTPS ${cluster.httpsPort}` : '']
    .filter(Boolean)
    .join(', ');
  const items: [string, string][] = [
    ['Gateway nodes', cluster.nodes.map((n) => n.nodeName).join(', ')],
    ['Endpoints', cluster.endpoints.join(', ') || '—'],
    ['Protocol', `${cluster.protocol} (${ports})`],
    ['Storage policy', cluster.policy],
    ['Created', formatTime(cluster.createdAt)],
  ];
  return (
    <DescriptionList isHorizontal isCompact data-testid="s3-cluster">
      {items.map(([term, value]) => (
        <DescriptionListGroup key={term}>
          <DescriptionListTerm>{term}</DescriptionListTerm>
          <DescriptionListDescription>{value}</DescriptionListDescription>
        </DescriptionListGroup>
      ))}
    </DescriptionList>
  );
}

function UsersTable({ users }: { users: S3UserView[] }) {
  if (users.length === 0) {
    return <EmptyRows title="No S3 users" />;
  }
  return (
    <Table aria-label="S3 users" variant="compact">
      <Thead>
        <Tr>
          <Th>E-mail</Th>
          <Th>Name</Th>
          <Th>State</Th>
          <Th>Active keys</Th>
          <Th>Buckets</Th>
        </Tr>
      </Thead>
      <Tbody>
        {users.map((u) => (
          <Tr key={u.id}>
            <Td dataLabel="E-mail">{u.email}</Td>
            <Td dataLabel="Name">{u.displayName}</Td>
            <Td dataLabel="State">{u.suspended ? 'suspended' : 'active'}</Td>
            <Td dataLabel="Active keys">{u.activeKeys}</Td>
            <Td dataLabel="Buckets">{u.buckets}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

function BucketsTable({ buckets }: { buckets: S3BucketView[] }) {
  if (buckets.length === 0) {
    return <EmptyRows title="No buckets" />;
  }
  return (
    <Table aria-label="S3 buckets" variant="compact">
      <Thead>
        <Tr>
          <Th>Bucket</Th>
          <Th>Owner</Th>
          <Th>Versioning</Th>
          <Th>Created</Th>
        </Tr>
      </Thead>
      <Tbody>
        {buckets.map((b) => (
          <Tr key={b.name}>
            <Td dataLabel="Bucket">{b.name}</Td>
            <Td dataLabel="Owner">{b.ownerEmail ?? '—'}</Td>
            <Td dataLabel="Versioning">{b.versioning}</Td>
            <Td dataLabel="Created">{formatTime(b.createdAt)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

export function S3Page() {
  const api = useApi();
  const overview = usePoll<S3Overview>(async () => {
    // 404 is the normal answer before an S3 cluster is created.
    const cluster = await api.s3Cluster().catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    });
    const [users, buckets] = await Promise.all([api.s3Users(), api.s3Buckets()]);
    return { cluster, users, buckets };
  });
  return (
    <>
      <ScreenHeader title="S3" />
      <PolledView polled={overview}>
        {(o) => (
          <>
            <PageSection>
              <ClusterSummary cluster={o.cluster} />
            </PageSection>
            <PageSection>
              <Title headingLevel="h2" className="pf-v6-u-mb-sm">
                Users
              </Title>
              <UsersTable users={o.users} />
            </PageSection>
            <PageSection>
              <Title headingLevel="h2" className="pf-v6-u-mb-sm">
                Buckets
              </Title>
              <BucketsTable buckets={o.buckets} />
            </PageSection>
          </>
        )}
      </PolledView>
    </>
  );
}
