import type { LocationRef } from './api/types';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Binary units, as the API's size strings (10G = 10 GiB). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) {
    return '—';
  }
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 || Number.isInteger(value) ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Accepts what CreateVolumeRequest.size accepts: bytes or a number with K, M, G or T. */
export function isSizeString(text: string): boolean {
  return /^\s*[0-9]+\s*([KMGTkmgt]([iI]?[bB])?|[bB])?\s*$/.test(text);
}

/** Room / row / rack, the parts that are set. */
export function locationText(location: LocationRef | null): string {
  const parts = location ? [location.room, location.row, location.rack].filter(Boolean) : [];
  return parts.length > 0 ? parts.join(' / ') : '—';
}

/** A rate in binary units per second. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** A count with at most one decimal, k/M suffixes for large values. */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`;
  if (abs >= 100 || Number.isInteger(value)) return value.toFixed(0);
  return value.toFixed(1);
}

/** Percent of a file sent; 0 for an empty file, whose total is 0 (a bar at 0 until its answer). */
export function uploadPercent(sent: number, total: number): number {
  return total > 0 ? (100 * sent) / total : 0;
}
