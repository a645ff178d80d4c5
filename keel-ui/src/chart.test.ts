import { describe, expect, it } from 'vitest';
import { downsample, linePath, niceMax, rates, ticks, timeLabel } from './chart';

describe('chart maths', () => {
  it('rounds axis tops up to nice numbers', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(-3)).toBe(1);
    expect(niceMax(1)).toBe(1);
    expect(niceMax(1.3)).toBe(2);
    expect(niceMax(2.2)).toBe(2.5);
    expect(niceMax(37)).toBe(50);
    expect(niceMax(75000)).toBe(100000);
    expect(ticks(100, 4)).toEqual([0, 25, 50, 75, 100]);
  });

  it('draws lines with gaps', () => {
    const frame = { width: 100, height: 50, t0: 0, t1: 10, top: 10 };
    expect(linePath([{ t: 0, v: 0 }, { t: 10, v: 10 }], frame)).toBe('M0.0,50.0L100.0,0.0');
    expect(linePath([{ t: 0, v: 5 }, { t: 5, v: null }, { t: 10, v: 5 }], frame)).toBe('M0.0,25.0M100.0,25.0');
    expect(linePath([], frame)).toBe('');
  });

  it('turns counters into rates, resets into gaps', () => {
    expect(rates([{ t: 0, v: 0 }, { t: 2000, v: 10 }, { t: 4000, v: 4 }, { t: 5000, v: 6 }])).toEqual([
      { t: 2000, v: 5 },
      { t: 4000, v: null },
      { t: 5000, v: 2 },
    ]);
  });

  it('downsamples keeping the last point', () => {
    const points = Array.from({ length: 10 }, (_v, i) => i);
    expect(downsample(points, 20)).toBe(points);
    expect(downsample(points, 4)).toEqual([0, 3, 6, 9]);
    expect(downsample(points, 3)).toEqual([0, 4, 8, 9]);
  });

  it('labels time ticks by range', () => {
    const t = Date.UTC(2026, 11, 4, 12, 30, 15);
    expect(timeLabel(t, 30 * 60 * 1000, 'en-GB')).toMatch(/\d{2}:\d{2}:\d{2}/);
    expect(timeLabel(t, 6 * 3600 * 1000, 'en-GB')).toMatch(/^\d{2}:\d{2}$/);
    expect(timeLabel(t, 7 * 24 * 3600 * 1000, 'en-GB')).toMatch(/Dec/);
  });
});

describe('ranges and series', () => {
  it('reads ranges', async () => {
    const { rangeMs, seriesOf } = await import('./chart');
    expect(rangeMs('30m')).toBe(1_800_000);
    expect(rangeMs('7d')).toBe(604_800_000);
    expect(rangeMs('x')).toBe(0);
    expect(seriesOf([{ t: '2026-01-01T00:00:00Z', a: 1 }, { t: 'bad', a: 2 }, { t: '2026-01-01T00:00:10Z', a: null }], (r) => r.a)).toEqual([
      { t: Date.parse('2026-01-01T00:00:00Z'), v: 1 },
      { t: Date.parse('2026-01-01T00:00:10Z'), v: null },
    ]);
  });
});

describe('axes of bytes and round ticks', () => {
  it('scales bytes in binary units', async () => {
    const { niceMaxBytes, tickCount, ticks } = await import('./chart');
    expect(niceMaxBytes(1e11)).toBe(100 * 1024 ** 3);
    expect(niceMaxBytes(900)).toBe(1000);
    expect(niceMaxBytes(1500)).toBe(2 * 1024);
    expect(tickCount(5)).toBe(5);
    expect(tickCount(2)).toBe(4);
    expect(tickCount(250)).toBe(5);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(200)).toEqual([0, 50, 100, 150, 200]);
  });
});
