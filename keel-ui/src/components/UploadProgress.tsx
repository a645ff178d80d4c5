import { Progress, ProgressMeasureLocation } from '@patternfly/react-core';
import { formatBytes, uploadPercent } from '../format';

/** A file upload's bar: the share sent, with the bytes beside it. */
export function UploadProgress({ sent, total, title, className, testId }: { sent: number; total: number; title: string; className?: string; testId: string }) {
  return (
    <Progress
      className={className}
      value={uploadPercent(sent, total)}
      title={title}
      label={`${formatBytes(sent)} of ${formatBytes(total)}`}
      measureLocation={ProgressMeasureLocation.outside}
      data-testid={testId}
    />
  );
}
