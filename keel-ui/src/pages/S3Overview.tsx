import { DescriptionList, DescriptionListDescription, DescriptionListGroup, DescriptionListTerm } from '@patternfly/react-core';
import type { NodeView, PolicyView, S3AccessKeyView, S3BucketView, S3ClusterView, S3UserView } from '../api/types';
import { StatusLabel } from '../components/StatusLabel';
import { formatTime } from '../format';
import { s3Status, s3Urls } from '../s3path';

/** Everything the S3 tabs show, polled as one so that the tabs agree with each other. */
export interface S3Overview {
  cluster: S3ClusterView | null;
  users: S3UserView[];
  buckets: S3BucketView[];
  keys: S3AccessKeyView[];
  nodes: NodeView[];
  policies: PolicyView[];
}

export function OverviewTab({ o }: { o: S3Overview & { cluster: S3ClusterView } }) {
  const c = o.cluster;
  const ports = [c.httpPort ? `HTTP ${c.httpPort}` : '', c.httpsPort ? `HTTPS ${c.httpsPort}` : ''].filter(Boolean).join(', ');
  const items: [string, string][] = [
    ['Gateway nodes', c.nodes.map((n) => n.nodeName).join(', ')],
    ['Hostnames', c.endpoints.join(', ') || '—'],
    ['Endpoints', s3Urls(c).join(', ') || '—'],
    ['Protocol', `${c.protocol} (${ports})`],
    ['Certificate', c.certificateNotAfter ? `${c.selfSignedCertificate ? 'self-signed' : 'own'}, valid until ${formatTime(c.certificateNotAfter)}` : '—'],
    ['Storage policy', c.policy],
    ['Capacity and usage', 'not reported by the API yet'],
    ['Users', String(o.users.length)],
    ['Buckets', String(o.buckets.length)],
    ['Created', formatTime(c.createdAt)],
  ];
  return (
    <DescriptionList isHorizontal isCompact data-testid="s3-cluster" className="pf-v6-u-mt-md">
      <DescriptionListGroup>
        <DescriptionListTerm>Status</DescriptionListTerm>
        <DescriptionListDescription data-testid="s3-status">
          <StatusLabel status={s3Status(c, o.nodes)} />
        </DescriptionListDescription>
      </DescriptionListGroup>
      {items.map(([term, value]) => (
        <DescriptionListGroup key={term}>
          <DescriptionListTerm>{term}</DescriptionListTerm>
          <DescriptionListDescription>{value}</DescriptionListDescription>
        </DescriptionListGroup>
      ))}
    </DescriptionList>
  );
}
