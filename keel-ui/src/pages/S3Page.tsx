import { PageSection, Tab, TabTitleText, Tabs } from '@patternfly/react-core';
import { useState } from 'react';
import { ApiError } from '../api/client';
import { useApi } from '../auth';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { usePoll } from '../usePoll';
import { CreateClusterForm } from './S3ClusterForm';
import { OverviewTab, type S3Overview } from './S3Overview';
import { UsersTab } from './S3UsersTab';
import { KeysTab } from './S3KeysTab';
import { BucketsTab } from './S3BucketsTab';

export function S3Page() {
  const api = useApi();
  const [tab, setTab] = useState<string | number>('overview');
  const overview = usePoll<S3Overview>(async () => {
    // 404 is the normal answer before an S3 cluster is created.
    const cluster = await api.s3Cluster().catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    });
    const [users, buckets, keys, nodes, policies] = await Promise.all([
      api.s3Users(),
      api.s3Buckets(),
      api.s3Keys(),
      api.nodes(),
      api.policies(),
    ]);
    return { cluster, users, buckets, keys, nodes, policies };
  });
  return (
    <>
      <ScreenHeader title="S3" />
      <PageSection>
        <PolledView polled={overview}>
          {(o) =>
            !o.cluster ? (
              <CreateClusterForm nodes={o.nodes} policies={o.policies} onCreated={overview.refresh} />
            ) : (
              <Tabs activeKey={tab} onSelect={(_e, key) => setTab(key)} aria-label="S3">
                <Tab eventKey="overview" title={<TabTitleText>Overview</TabTitleText>}>
                  {tab === 'overview' ? <OverviewTab o={{ ...o, cluster: o.cluster }} /> : null}
                </Tab>
                <Tab eventKey="users" title={<TabTitleText>Users</TabTitleText>}>
                  {tab === 'users' ? <UsersTab users={o.users} onChanged={overview.refresh} /> : null}
                </Tab>
                <Tab eventKey="keys" title={<TabTitleText>Keys</TabTitleText>}>
                  {tab === 'keys' ? <KeysTab keys={o.keys} users={o.users} onChanged={overview.refresh} /> : null}
                </Tab>
                <Tab eventKey="buckets" title={<TabTitleText>Buckets</TabTitleText>}>
                  {tab === 'buckets' ? <BucketsTab buckets={o.buckets} users={o.users} onChanged={overview.refresh} /> : null}
                </Tab>
              </Tabs>
            )
          }
        </PolledView>
      </PageSection>
    </>
  );
}
