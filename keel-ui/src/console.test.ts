import { describe, expect, it } from 'vitest';
import type { VmStatsView } from './api/types';
import { appendCapped, consoleUrl, stripAnsi } from './console';
import { addSample, sampleOf, vmSeries } from './vmstats';

describe('serial console helpers', () => {
  it('builds the WebSocket URL of a ticket', () => {
    expect(consoleUrl({ protocol: 'http:', host: 'n1:8888' }, '/api/v1/vms/a/console/serial', 't+/=')).toBe(
      'ws://n1:8888/api/v1/vms/a/console/serial?ticket=t%2B%2F%3D',
    );
    expect(consoleUrl({ protocol: 'https:', host: 'h' }, '/p?x=1', 't')).toBe('wss://h/p?x=1&ticket=t');
  });

  it('strips escape sequences', () => {
    expect(stripAnsi('\u001b[1;32mlogin:\u001b[0m \r\n')).toBe('login: \n');
    expect(stripAnsi('\u001b]0;title\u0007ok')).toBe('ok');
  });

  it('caps the transcript', () => {
    expect(appendCapped('abc', 'def', 4)).toBe('cdef');
    expect(appendCapped('', 'x')).toBe('x');
  });
});

describe('VM stats series', () => {
  const stats = (at: string, cpu: number, read: number): VmStatsView => ({
    vm: 'v',
    nodeName: 'n',
    running: true,
    collectedAt: at,
    cpuSeconds: cpu,
    memoryRssBytes: 100,
    memoryConfiguredBytes: 200,
    disks: [
      { disk: 'disk0', volume: 'a', readBytes: read, writeBytes: 0, readOps: 1, writeOps: 0 },
      { disk: 'disk1', volume: 'b', readBytes: read, writeBytes: 0, readOps: 1, writeOps: 0 },
    ],
  });

  it('samples, deduplicates and rates', () => {
    let samples = addSample([], sampleOf(stats('2026-01-01T00:00:00Z', 1, 0)));
    samples = addSample(samples, sampleOf(stats('2026-01-01T00:00:00Z', 1, 0)));
    expect(samples).toHaveLength(1);
    samples = addSample(samples, sampleOf(stats('2026-01-01T00:00:02Z', 2, 1024)));
    const series = vmSeries(samples);
    expect(series.cpuPercent).toEqual([{ t: Date.parse('2026-01-01T00:00:02Z'), v: 50 }]);
    expect(series.readBytes[0].v).toBe(1024);
    expect(series.rss).toHaveLength(2);
    expect(sampleOf({ ...stats('x', 0, 0), running: false })).toBeNull();
  });
});
