// Pure maths of the small SVG line charts (tested in chart.test.ts).

/** A "nice" upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten at or above max (1 for nothing). */
export function niceMax(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

/** A nice axis top for bytes: a nice number of the binary unit max falls in (e.g. 93 GB -> 100 GiB). */
export function niceMaxBytes(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  let unit = 1;
  while (max / unit >= 1024) unit *= 1024;
  return niceMax(max / unit) * unit;
}

/** Intervals that make round ticks of a nice top: 5 for 1, 2.5 and 5 (times a power of ten), else 4. */
export function tickCount(top: number): number {
  if (!Number.isFinite(top) || top <= 0) return 4;
  const leading = Math.round((top / 10 ** Math.floor(Math.log10(top))) * 1000) / 1000;
  return leading === 1 || leading === 2.5 || leading === 5 ? 5 : 4;
}

/** Evenly spaced ticks from 0 to top, count intervals. */
export function ticks(top: number, count = tickCount(top)): number[] {
  return Array.from({ length: count + 1 }, (_v, i) => (top * i) / count);
}

export interface Point {
  t: number;
  v: number | null;
}

export interface Frame {
  width: number;
  height: number;
  t0: number;
  t1: number;
  top: number;
}

/** SVG path of a series; null values break the line (a gap where data is missing). */
export function linePath(points: Point[], frame: Frame): string {
  const span = frame.t1 - frame.t0 || 1;
  const x = (t: number) => ((t - frame.t0) / span) * frame.width;
  const y = (v: number) => frame.height - (Math.max(0, v) / (frame.top || 1)) * frame.height;
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p.v === null || !Number.isFinite(p.v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Label of a time tick: clock time for ranges within a day, day and time beyond. */
export function timeLabel(t: number, spanMs: number, locale?: string): string {
  const date = new Date(t);
  if (spanMs > 24 * 3600 * 1000) {
    return date.toLocaleString(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  if (spanMs <= 3600 * 1000) {
    return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** Per-second rates between successive samples of a counter; a counter that went down (restart) gives null. */
export function rates(samples: { t: number; v: number }[]): Point[] {
  const out: Point[] = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i].t - samples[i - 1].t) / 1000;
    const dv = samples[i].v - samples[i - 1].v;
    out.push({ t: samples[i].t, v: dt > 0 && dv >= 0 ? dv / dt : null });
  }
  return out;
}

/** Keeps every k-th point so that at most max remain (the last one always kept). */
export function downsample<T>(points: T[], max: number): T[] {
  if (points.length <= max || max < 2) return points;
  const k = Math.ceil(points.length / max);
  const out = points.filter((_p, i) => i % k === 0);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]);
  return out;
}

export const RANGES = ['30m', '1h', '6h', '12h', '7d'] as const;

/** Milliseconds of a range such as 30m, 1h, 7d (0 when it cannot be read). */
export function rangeMs(range: string): number {
  const m = /^(\d+)([smhd])$/.exec(range.trim());
  if (!m) return 0;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** Series of one field of time-stamped records, ISO times to epoch milliseconds. */
export function seriesOf<T extends { t: string }>(records: T[], value: (r: T) => number | null | undefined): Point[] {
  return records
    .map((r) => ({ t: Date.parse(r.t), v: value(r) ?? null }))
    .filter((p) => !Number.isNaN(p.t));
}
