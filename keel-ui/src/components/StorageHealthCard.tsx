import {
  Alert,
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  Progress,
  ProgressMeasureLocation,
  ProgressVariant,
} from '@patternfly/react-core';
import { useApi } from '../auth';
import { formatBytes, formatCount, formatRate } from '../format';
import { healthSummary, percentText } from '../storageHealth';
import { usePoll } from '../usePoll';
import { PolledView } from './PolledView';
import { StatusLabel } from './StatusLabel';
import { FactRows } from './FactRows';

const STATUS_LABEL: Record<string, string> = {
  Healthy: 'healthy',
  Rebuilding: 'transitioning',
  Degraded: 'degraded',
  Unavailable: 'unavailable',
};

/** The storage's chunks by health and the rebuild's progress (GET /api/v1/storage/health). */
export function StorageHealthCard() {
  const api = useApi();
  const health = usePoll(api.storageHealth);
  return (
    <Card isCompact data-testid="storage-health" className="pf-v6-u-mb-md">
      <CardTitle>Storage health</CardTitle>
      <CardBody>
        <PolledView polled={health}>
          {(h) => {
            const s = healthSummary(h);
            return (
              <div data-testid="storage-health-body" data-status={s.status}>
                <div className="pf-v6-u-mb-sm" data-testid="storage-health-status">
                  <StatusLabel status={STATUS_LABEL[s.status] ?? s.status} />{' '}
                  <span>{s.status}</span>
                </div>
                <Progress
                  value={s.percent}
                  label={percentText(s.percent)}
                  valueText={percentText(s.percent)}
                  measureLocation={ProgressMeasureLocation.outside}
                  variant={s.status === 'Unavailable' ? ProgressVariant.danger : s.status === 'Healthy' ? ProgressVariant.success : ProgressVariant.warning}
                  helperText={s.detail}
                  aria-label="Healthy chunks"
                />
                <DescriptionList isHorizontal isCompact columnModifier={{ default: '2Col' }} className="pf-v6-u-mt-sm">
                  <FactRows
                    items={[
                      ['Degraded chunks', formatCount(h.degradedChunks)],
                      ['Unavailable chunks', formatCount(h.unavailableChunks)],
                      ['Pending rebuild', `${formatCount(h.pendingRebuildChunks)} chunks`],
                      ['Rebuild rate', formatRate(h.rebuildBytesPerSecond)],
                      ['Rebuilt since start', `${formatCount(h.chunksRebuilt)} chunks, ${formatBytes(h.bytesRebuilt)}`],
                      ['Degraded volumes', `${formatCount(h.degradedVolumes)} of ${formatCount(h.volumes)}`],
                    ]}
                  />
                </DescriptionList>
                {h.missingNodes.length > 0 ? (
                  <Alert variant="warning" isInline isPlain className="pf-v6-u-mt-sm"
                    title={`No rebuild figures from ${h.missingNodes.join(', ')}`} />
                ) : null}
              </div>
            );
          }}
        </PolledView>
      </CardBody>
    </Card>
  );
}
