import { describe, expect, it } from 'vitest';
import type { StorageHealthView } from './api/types';
import { healthSummary, percentText } from './storageHealth';

const base: StorageHealthView = {
  healthyChunks: 0,
  degradedChunks: 0,
  unavailableChunks: 0,
  volumes: 0,
  degradedVolumes: 0,
  pendingRebuildChunks: 0,
  chunksRebuilt: 0,
  bytesRebuilt: 0,
  rebuildBytesPerSecond: 0,
  missingNodes: [],
};

describe('healthSummary', () => {
  it('is Healthy at 100% when nothing is degraded, even with no chunks yet', () => {
    expect(healthSummary(base)).toEqual({ percent: 100, totalChunks: 0, status: 'Healthy', detail: '0 of 0 chunks healthy' });
    const s = healthSummary({ ...base, healthyChunks: 16 });
    expect(s.status).toBe('Healthy');
    expect(s.percent).toBe(100);
  });

  it('shows progress, pending chunks and the rate while rebuilding', () => {
    const s = healthSummary({ ...base, healthyChunks: 30, degradedChunks: 10, pendingRebuildChunks: 10, rebuildBytesPerSecond: 48 * 1024 ** 2 });
    expect(s.status).toBe('Rebuilding');
    expect(s.percent).toBe(75);
    expect(s.totalChunks).toBe(40);
    expect(s.detail).toBe('30 of 40 chunks healthy, 10 pending, rebuilding at 48 MiB/s');
  });

  it('says Degraded when no healer is at work and Unavailable when a chunk has no copy', () => {
    expect(healthSummary({ ...base, healthyChunks: 3, degradedChunks: 1 }).status).toBe('Degraded');
    expect(healthSummary({ ...base, healthyChunks: 3, degradedChunks: 1, unavailableChunks: 1 }).status).toBe('Unavailable');
  });
});

describe('percentText', () => {
  it('never rounds a shortfall up to 100%', () => {
    expect(percentText(100)).toBe('100%');
    expect(percentText(75)).toBe('75%');
    expect(percentText(99.97)).toBe('99.9%');
    expect(percentText(12.345)).toBe('12.3%');
    expect(percentText(Number.NaN)).toBe('—');
  });
});
