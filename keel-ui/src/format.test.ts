import { describe, expect, it } from 'vitest';
import { formatBytes, isSizeString, locationText, uploadPercent } from './format';

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024 ** 3)).toBe('1 GiB');
    expect(formatBytes(1.5 * 1024 ** 2)).toBe('1.5 MiB');
    expect(formatBytes(null)).toBe('—');
  });
});

describe('isSizeString', () => {
  it('accepts what the API accepts', () => {
    for (const ok of ['1G', '512M', '1073741824', '10 GiB', '4k']) {
      expect(isSizeString(ok)).toBe(true);
    }
    for (const bad of ['', 'G', '1.5G', '-1G', '1X']) {
      expect(isSizeString(bad)).toBe(false);
    }
  });
});

describe('locationText', () => {
  it('joins the parts that are set', () => {
    expect(locationText(null)).toBe('—');
    expect(locationText({ room: 'r1', row: null, rack: 'k2' })).toBe('r1 / k2');
    expect(locationText({ room: null, row: null, rack: null })).toBe('—');
  });
});

describe('rates and counts', () => {
  it('formats them', async () => {
    const { formatRate, formatCount } = await import('./format');
    expect(formatRate(2048)).toBe('2 KiB/s');
    expect(formatCount(3)).toBe('3');
    expect(formatCount(2.25)).toBe('2.3');
    expect(formatCount(12345)).toBe('12k');
    expect(formatCount(2_500_000)).toBe('2.5M');
  });
});

describe('uploadPercent', () => {
  it('is the share sent, and 0 for an empty file', () => {
    expect(uploadPercent(0, 200)).toBe(0);
    expect(uploadPercent(50, 200)).toBe(25);
    expect(uploadPercent(200, 200)).toBe(100);
    expect(uploadPercent(0, 0)).toBe(0);
  });
});
