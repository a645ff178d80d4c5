import { rates, type Point } from './chart';
import type { VmStatsView } from './api/types';

export interface StatsSample {
  t: number;
  cpuSeconds: number;
  rss: number;
  readBytes: number;
  writeBytes: number;
  readOps: number;
  writeOps: number;
}

/** One sample of a stats answer (disks summed); null when no QEMU runs or nothing was collected. */
export function sampleOf(stats: VmStatsView): StatsSample | null {
  if (!stats.running || !stats.collectedAt) return null;
  const t = Date.parse(stats.collectedAt);
  if (Number.isNaN(t)) return null;
  const sum = (f: (d: VmStatsView['disks'][number]) => number) => stats.disks.reduce((s, d) => s + f(d), 0);
  return {
    t,
    cpuSeconds: stats.cpuSeconds,
    rss: stats.memoryRssBytes,
    readBytes: sum((d) => d.readBytes),
    writeBytes: sum((d) => d.writeBytes),
    readOps: sum((d) => d.readOps),
    writeOps: sum((d) => d.writeOps),
  };
}

/** Adds a sample unless it repeats the last collection time; keeps the newest max. */
export function addSample(samples: StatsSample[], sample: StatsSample | null, max = 150): StatsSample[] {
  if (!sample) return samples;
  const last = samples[samples.length - 1];
  if (last && last.t >= sample.t) return samples;
  const next = [...samples, sample];
  return next.length > max ? next.slice(next.length - max) : next;
}

export interface VmSeries {
  cpuPercent: Point[];
  rss: Point[];
  readBytes: Point[];
  writeBytes: Point[];
  readOps: Point[];
  writeOps: Point[];
}

/** Chart series: CPU as percent of one vCPU, memory as is, disk counters as rates. */
export function vmSeries(samples: StatsSample[]): VmSeries {
  const rate = (f: (s: StatsSample) => number) => rates(samples.map((s) => ({ t: s.t, v: f(s) })));
  return {
    cpuPercent: rate((s) => s.cpuSeconds).map((p) => ({ t: p.t, v: p.v === null ? null : p.v * 100 })),
    rss: samples.map((s) => ({ t: s.t, v: s.rss })),
    readBytes: rate((s) => s.readBytes),
    writeBytes: rate((s) => s.writeBytes),
    readOps: rate((s) => s.readOps),
    writeOps: rate((s) => s.writeOps),
  };
}
