import {
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Card,
  CardBody,
  CardTitle,
  Gallery,
  Progress,
  ProgressMeasureLocation,
  ToggleGroup,
  ToggleGroupItem,
} from '@patternfly/react-core';
import { useState } from 'react';
import type { MonitoringRange, NodeView, PolicyView, S3AccessKeyView, S3BucketView, S3ClusterView, S3UserView } from '../api/types';
import { useApi } from '../auth';
import { RANGES, downsample, rangeMs, seriesOf } from '../chart';
import { LineChart } from '../components/LineChart';
import { PolledView } from '../components/PolledView';
import { StatusLabel } from '../components/StatusLabel';
import { formatBytes, formatCount, formatRate, formatTime } from '../format';
import { s3Status, s3Urls } from '../s3path';
import { latestRates, ratesText, usageText, usedPercent } from '../s3usage';
import { usePoll } from '../usePoll';
import { FactRows } from '../components/FactRows';

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
    ['Users', String(o.users.length)],
    ['Buckets', String(o.buckets.length)],
    ['Created', formatTime(c.createdAt)],
  ];
  return (
    <>
      <DescriptionList isHorizontal isCompact data-testid="s3-cluster" className="pf-v6-u-mt-md" data-http-port={c.httpPort ?? ''}>
        <DescriptionListGroup>
          <DescriptionListTerm>Status</DescriptionListTerm>
          <DescriptionListDescription data-testid="s3-status">
            <StatusLabel status={s3Status(c, o.nodes)} />
          </DescriptionListDescription>
        </DescriptionListGroup>
        <FactRows items={items} />
      </DescriptionList>
      <Capacity />
      <Activity />
    </>
  );
}

/** Space the buckets hold (the object index's counters) and what the S3 policy has left. */
function Capacity() {
  const api = useApi();
  const usage = usePoll(api.s3Usage, '', 10_000);
  return (
    <Card isCompact className="pf-v6-u-mt-lg" data-testid="s3-capacity">
      <CardTitle>Capacity</CardTitle>
      <CardBody>
        <PolledView polled={usage}>
          {(u) => (
            <div data-testid="s3-usage" data-objects={u.objects} data-bytes={u.bytes}>
              <Progress
                value={usedPercent(u)}
                title={usageText(u)}
                label={`${formatBytes(u.storedBytes)} of ${formatBytes(u.storedBytes + u.freeBytes)}`}
                measureLocation={ProgressMeasureLocation.outside}
                helperText={`${formatBytes(u.freeBytes)} free for the S3 policy (its tier's free space over the policy's redundancy); ${formatCount(u.uploads)} unfinished uploads`}
                aria-label="S3 space used"
              />
            </div>
          )}
        </PolledView>
      </CardBody>
    </Card>
  );
}

/** Requests and bytes through the S3 gateways, from the monitoring history (ADR 0053). */
function Activity() {
  const api = useApi();
  const [range, setRange] = useState<MonitoringRange>('30m');
  const history = usePoll(() => api.monitoringHistory(range), range, 10_000);
  return (
    <Card isCompact className="pf-v6-u-mt-md" data-testid="s3-io">
      <CardTitle>I/O of the S3 gateways</CardTitle>
      <CardBody>
        <ToggleGroup aria-label="S3 I/O range" className="pf-v6-u-mb-sm">
          {RANGES.map((r) => (
            <ToggleGroupItem key={r} text={r} buttonId={`s3-range-${r}`} isSelected={range === r} onChange={() => setRange(r)} />
          ))}
        </ToggleGroup>
        <PolledView polled={history}>
          {(h) => {
            const shown = downsample(h.points, 400);
            const last = shown.length > 0 ? Date.parse(shown[shown.length - 1].t) : Date.now();
            const t1 = Number.isNaN(last) ? Date.now() : last;
            const t0 = t1 - rangeMs(h.range || range);
            const now = latestRates(h.points);
            return (
              <>
                <p className="pf-v6-u-font-size-sm pf-v6-u-mb-sm" data-testid="s3-rates" data-requests={now.requests}
                  data-peak-requests={Math.max(0, ...h.points.map((p) => p.s3Requests))}>
                  {`Now: ${ratesText(now)}${h.missingNodes.length > 0 ? ` (without ${h.missingNodes.join(', ')})` : ''}`}
                </p>
                <Gallery hasGutter minWidths={{ default: '100%', xl: '48%' }}>
                  <LineChart title="Requests" testId="chart-s3-requests" t0={t0} t1={t1}
                    series={[{ name: 'requests', points: seriesOf(shown, (p) => p.s3Requests) }]}
                    format={(v) => `${formatCount(v)}/s`} />
                  <LineChart title="Throughput" testId="chart-s3-throughput" t0={t0} t1={t1}
                    series={[
                      { name: 'in', points: seriesOf(shown, (p) => p.s3BytesIn) },
                      { name: 'out', points: seriesOf(shown, (p) => p.s3BytesOut) },
                    ]}
                    format={formatRate} bytes />
                </Gallery>
              </>
            );
          }}
        </PolledView>
      </CardBody>
    </Card>
  );
}
