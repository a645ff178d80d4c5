import { Card, CardBody, CardTitle } from '@patternfly/react-core';
import { linePath, niceMax, niceMaxBytes, ticks, timeLabel, type Point } from '../chart';

export interface Series {
  name: string;
  points: Point[];
  color?: string;
}

const COLORS = ['#0066cc', '#ec7a08', '#3e8635', '#8476d1', '#c9190b'];
const W = 560;
const H = 180;
const LEFT = 72;
const BOTTOM = 22;

/**
 * A small SVG line chart: time on x (t0..t1), 0..a nice maximum on y, one line per series, a
 * legend with each series' last value. format turns a y value into its label.
 */
export function LineChart({
  title,
  series,
  format,
  t0,
  t1,
  testId,
  bytes = false,
}: {
  title: string;
  series: Series[];
  format(v: number): string;
  t0?: number;
  t1?: number;
  testId?: string;
  /** Values are bytes (or bytes per second): the axis top is round in binary units. */
  bytes?: boolean;
}) {
  const all = series.flatMap((s) => s.points);
  const times = all.map((p) => p.t);
  const start = t0 ?? (times.length ? Math.min(...times) : 0);
  const end = t1 ?? (times.length ? Math.max(...times) : 1);
  const highest = Math.max(0, ...all.map((p) => (p.v === null || !Number.isFinite(p.v) ? 0 : p.v)));
  const top = bytes ? niceMaxBytes(highest) : niceMax(highest);
  const frame = { width: W - LEFT - 8, height: H - BOTTOM - 8, t0: start, t1: end, top };
  const span = end - start;
  const timeTicks = span > 0 ? [0, 1, 2, 3].map((i) => start + (span * i) / 3) : [];
  return (
    <Card isCompact data-testid={testId}>
      <CardTitle>{title}</CardTitle>
      <CardBody>
        <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title} style={{ maxHeight: '14rem' }}>
          <g transform={`translate(${LEFT},8)`}>
            {ticks(top).map((v) => {
              const y = frame.height - (v / top) * frame.height;
              return (
                <g key={v}>
                  <line x1={0} x2={frame.width} y1={y} y2={y} stroke="#d2d2d2" strokeWidth={0.5} />
                  <text x={-6} y={y + 4} textAnchor="end" fontSize={11} fill="#6a6e73">
                    {format(v)}
                  </text>
                </g>
              );
            })}
            {timeTicks.map((t, i) => (
              <text
                key={t}
                x={(frame.width * i) / 3}
                y={frame.height + 16}
                textAnchor={i === 0 ? 'start' : i === 3 ? 'end' : 'middle'}
                fontSize={11}
                fill="#6a6e73"
              >
                {timeLabel(t, span)}
              </text>
            ))}
            {series.map((s, i) => (
              <path key={s.name} d={linePath(s.points, frame)} fill="none" stroke={s.color ?? COLORS[i % COLORS.length]} strokeWidth={1.8} />
            ))}
          </g>
        </svg>
        <div className="pf-v6-u-font-size-sm">
          {series.map((s, i) => {
            const last = [...s.points].reverse().find((p) => p.v !== null && Number.isFinite(p.v));
            return (
              <span key={s.name} style={{ marginRight: '1rem', whiteSpace: 'nowrap' }}>
                <span style={{ color: s.color ?? COLORS[i % COLORS.length] }}>■</span> {s.name}: {last && last.v !== null ? format(last.v) : '—'}
              </span>
            );
          })}
        </div>
      </CardBody>
    </Card>
  );
}
