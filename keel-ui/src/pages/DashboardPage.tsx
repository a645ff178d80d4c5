import { Alert, Gallery, PageSection, ToggleGroup, ToggleGroupItem } from '@patternfly/react-core';
import { useState } from 'react';
import type { MonitoringPoint, MonitoringRange } from '../api/types';
import { useApi } from '../auth';
import { LineChart } from '../components/LineChart';
import { PolledView } from '../components/PolledView';
import { ScreenHeader } from '../components/ScreenHeader';
import { RANGES, downsample, rangeMs, seriesOf } from '../chart';
import { formatBytes, formatCount, formatRate } from '../format';
import { usePoll } from '../usePoll';

/** At most this many points per line: more than an SVG this wide can show. */
const MAX_POINTS = 400;

function Charts({ points, range }: { points: MonitoringPoint[]; range: string }) {
  const shown = downsample(points, MAX_POINTS);
  const last = shown.length > 0 ? Date.parse(shown[shown.length - 1].t) : Date.now();
  const t1 = Number.isNaN(last) ? Date.now() : last;
  const t0 = t1 - rangeMs(range);
  const s = (f: (p: MonitoringPoint) => number) => seriesOf(shown, f);
  const ops = (v: number) => `${formatCount(v)}/s`;
  return (
    <Gallery hasGutter minWidths={{ default: '100%', xl: '48%' }}>
      <LineChart
        title="Operations"
        testId="chart-ops"
        t0={t0}
        t1={t1}
        series={[
          { name: 'read', points: s((p) => p.readOps) },
          { name: 'write', points: s((p) => p.writeOps) },
        ]}
        format={ops}
      />
      <LineChart
        title="Throughput"
        testId="chart-throughput"
        t0={t0}
        t1={t1}
        series={[
          { name: 'read', points: s((p) => p.readBytes) },
          { name: 'write', points: s((p) => p.writeBytes) },
        ]}
        format={formatRate}
          bytes
      />
      <LineChart
        title="Chunk services"
        testId="chart-chunk-services"
        t0={t0}
        t1={t1}
        series={[
          { name: 'up', points: s((p) => p.chunkServicesUp) },
          { name: 'total', points: s((p) => p.chunkServicesTotal) },
        ]}
        format={(v) => formatCount(v)}
      />
      <LineChart
        title="Physical space"
        testId="chart-physical"
        t0={t0}
        t1={t1}
        series={[
          { name: 'used', points: s((p) => p.physicalUsedBytes) },
          { name: 'total', points: s((p) => p.physicalTotalBytes) },
        ]}
        format={formatBytes}
          bytes
      />
      <LineChart
        title="Logical space"
        testId="chart-logical"
        t0={t0}
        t1={t1}
        series={[
          { name: 'used', points: s((p) => p.logicalUsedBytes) },
          { name: 'provisioned', points: s((p) => p.logicalProvisionedBytes) },
        ]}
        format={formatBytes}
          bytes
      />
    </Gallery>
  );
}

export function DashboardPage() {
  const api = useApi();
  const [range, setRange] = useState<MonitoringRange>('1h');
  const history = usePoll(() => api.monitoringHistory(range), range, 10_000);
  return (
    <>
      <ScreenHeader
        title="Dashboard"
        actions={
          <ToggleGroup aria-label="Range" data-testid="dashboard-range">
            {RANGES.map((r) => (
              <ToggleGroupItem key={r} text={r} buttonId={`range-${r}`} isSelected={range === r} onChange={() => setRange(r)} />
            ))}
          </ToggleGroup>
        }
      />
      <PageSection>
        <PolledView polled={history}>
          {(h) => (
            <div data-testid="dashboard" data-range={h.range}>
              {h.missingNodes.length > 0 ? (
                <Alert variant="warning" isInline title="Some nodes did not answer" className="pf-v6-u-mb-md" data-testid="dashboard-missing">
                  {`No data from ${h.missingNodes.join(', ')}: the charts leave them out.`}
                </Alert>
              ) : null}
              <p className="pf-v6-u-mb-sm pf-v6-u-font-size-sm">
                {`${h.points.length} points, one every ${h.stepSeconds} s; rates are per second.`}
              </p>
              <Charts points={h.points} range={h.range || range} />
            </div>
          )}
        </PolledView>
      </PageSection>
    </>
  );
}
