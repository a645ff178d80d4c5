// What the S3 overview says about capacity and I/O (tested in s3usage.test.ts).
import type { MonitoringPoint, S3UsageView } from './api/types';
import { formatBytes, formatCount, formatRate } from './format';

/** "5 objects, 3.0 KiB (3.4 KiB stored in 6 versions)": current versions, then every stored version. */
export function usageText(u: S3UsageView): string {
  const objects = `${formatCount(u.objects)} ${u.objects === 1 ? 'object' : 'objects'}, ${formatBytes(u.bytes)}`;
  const stored = u.versions !== u.objects || u.storedBytes !== u.bytes
    ? ` (${formatBytes(u.storedBytes)} stored in ${formatCount(u.versions)} ${u.versions === 1 ? 'version' : 'versions'})`
    : '';
  const unread = u.unreadBuckets.length > 0 ? `; not counted: ${u.unreadBuckets.join(', ')}` : '';
  return `${objects}${stored}${unread}`;
}

/** Share of the space S3 could have (stored plus free for its policy) that is stored, 0-100. */
export function usedPercent(u: S3UsageView): number {
  const room = u.storedBytes + u.freeBytes;
  return room > 0 ? (100 * u.storedBytes) / room : 0;
}

export interface S3Rates {
  requests: number;
  bytesIn: number;
  bytesOut: number;
}

/** The newest point's S3 rates, summed over the nodes by the API; zeros before the first point. */
export function latestRates(points: MonitoringPoint[]): S3Rates {
  const p = points.length > 0 ? points[points.length - 1] : undefined;
  return { requests: p?.s3Requests ?? 0, bytesIn: p?.s3BytesIn ?? 0, bytesOut: p?.s3BytesOut ?? 0 };
}

export function ratesText(r: S3Rates): string {
  return `${formatCount(r.requests)} requests/s, in ${formatRate(r.bytesIn)}, out ${formatRate(r.bytesOut)}`;
}
