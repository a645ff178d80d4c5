import { Label, type LabelProps } from '@patternfly/react-core';

type Color = NonNullable<LabelProps['color']>;

const COLORS: Record<string, Color> = {
  HEALTHY: 'green',
  healthy: 'green',
  ACTIVE: 'green',
  online: 'green',
  yes: 'green',
  up: 'green',
  UNHEALTHY: 'red',
  unavailable: 'red',
  ERROR: 'red',
  offline: 'red',
  no: 'red',
  down: 'red',
  MAINTENANCE: 'orange',
  degraded: 'orange',
  MIGRATING: 'blue',
  BUILD: 'blue',
  PAUSED: 'yellow',
  'active/optimized': 'green',
  standby: 'blue',
  transitioning: 'yellow',
  REVOKED: 'grey',
  SHUTOFF: 'grey',
  QUEUED: 'blue',
  UPLOADING: 'blue',
  CONVERTING: 'blue',
  ready: 'green',
  suspended: 'orange',
  SUSPENDED: 'yellow',
};

export function StatusLabel({ status }: { status: string }) {
  return (
    <Label color={COLORS[status] ?? 'grey'} isCompact>
      {status}
    </Label>
  );
}
