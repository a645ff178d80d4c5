import { describe, expect, it } from 'vitest';
import type { MonitoringPoint, S3UsageView } from './api/types';
import { latestRates, ratesText, usageText, usedPercent } from './s3usage';

const usage: S3UsageView = {
  buckets: 2,
  objects: 5,
  bytes: 3072,
  versions: 5,
  storedBytes: 3072,
  uploads: 0,
  freeBytes: 1021 * 1024,
  perBucket: [],
  unreadBuckets: [],
};

describe('usageText', () => {
  it('says the objects and their bytes, and the stored versions only when they differ', () => {
    expect(usageText(usage)).toBe('5 objects, 3 KiB');
    expect(usageText({ ...usage, objects: 1, versions: 3, storedBytes: 3.5 * 1024 })).toBe(
      '1 object, 3 KiB (3.5 KiB stored in 3 versions)',
    );
    expect(usageText({ ...usage, unreadBuckets: ['logs'] })).toBe('5 objects, 3 KiB; not counted: logs');
  });
});

describe('usedPercent', () => {
  it('is stored of stored plus free', () => {
    expect(usedPercent(usage)).toBeCloseTo((100 * 3) / 1024, 6);
    expect(usedPercent({ ...usage, storedBytes: 0, freeBytes: 0 })).toBe(0);
  });
});

describe('latestRates', () => {
  const point = (s3Requests: number, s3BytesIn: number, s3BytesOut: number) =>
    ({ t: '2026-12-05T00:00:00Z', s3Requests, s3BytesIn, s3BytesOut }) as MonitoringPoint;
  it('takes the newest point', () => {
    expect(latestRates([point(1, 2, 3), point(4.5, 2048, 1024 ** 2)])).toEqual({ requests: 4.5, bytesIn: 2048, bytesOut: 1024 ** 2 });
    expect(latestRates([])).toEqual({ requests: 0, bytesIn: 0, bytesOut: 0 });
    expect(ratesText(latestRates([point(4.5, 2048, 1024 ** 2)]))).toBe('4.5 requests/s, in 2 KiB/s, out 1 MiB/s');
  });
});
