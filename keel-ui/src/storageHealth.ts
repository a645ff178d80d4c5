// What the storage health card says, from GET /api/v1/storage/health (tested in storageHealth.test.ts).
import type { StorageHealthView } from './api/types';
import { formatCount, formatRate } from './format';

export interface HealthSummary {
  /** Healthy of all chunks, 0-100; 100 when there are no chunks yet (nothing to rebuild). */
  percent: number;
  totalChunks: number;
  /** Healthy, Rebuilding (chunks degraded and healers at work), Degraded or Unavailable. */
  status: 'Healthy' | 'Rebuilding' | 'Degraded' | 'Unavailable';
  /** One line under the bar: chunks healthy of total, pending chunks and the rate when rebuilding. */
  detail: string;
}

export function healthSummary(h: StorageHealthView): HealthSummary {
  const total = h.healthyChunks + h.degradedChunks + h.unavailableChunks;
  const percent = total > 0 ? (100 * h.healthyChunks) / total : 100;
  let status: HealthSummary['status'] = 'Healthy';
  if (h.unavailableChunks > 0) {
    status = 'Unavailable';
  } else if (h.degradedChunks > 0 || h.pendingRebuildChunks > 0) {
    status = h.rebuildBytesPerSecond > 0 || h.pendingRebuildChunks > 0 ? 'Rebuilding' : 'Degraded';
  }
  const parts = [`${formatCount(h.healthyChunks)} of ${formatCount(total)} chunks healthy`];
  if (status !== 'Healthy') {
    parts.push(`${formatCount(h.pendingRebuildChunks)} pending`);
    parts.push(`rebuilding at ${formatRate(h.rebuildBytesPerSecond)}`);
  }
  return { percent, totalChunks: total, status, detail: parts.join(', ') };
}

/** The bar's percentage as text: whole numbers, except that anything short of all never shows 100. */
export function percentText(percent: number): string {
  if (!Number.isFinite(percent)) return '—';
  const shown = percent < 100 ? Math.min(99.9, percent) : 100;
  return Number.isInteger(shown) ? `${shown}%` : `${shown.toFixed(1)}%`;
}
