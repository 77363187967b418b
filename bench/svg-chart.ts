/** One line of a chart: its points joined in x order, each marked. */
export interface ChartSeries {
  name: string;
  points: [x: number, y: number][];
  dashed?: boolean;
  /** Series with the same colour key share a colour (a p50 and a p99 line of one contender). */
  colorKey?: string;
}

export interface Axis {
  label: string;
  log?: boolean;
  /** Tick positions; by default decades (log) or five even steps (linear). */
  ticks?: number[];
  format?: (value: number) => string;
}

export interface LineChart {
  title: string;
  x: Axis;
  y: Axis;
  series: ChartSeries[];
  /** Writes each point's y value beside it. */
  labelPoints?: boolean;
}

const WIDTH = 760;
const HEIGHT = 440;
const MARGIN = { top: 44, right: 200, bottom: 56, left: 84 };
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

/** Renders a line chart as standalone SVG text: no library, no script, fonts the viewer has. */
export function renderLineChart(chart: LineChart): string {
  // A log axis has no place for zero or less: such points (a variant that did nothing) are left out.
  const plottable = (x: number, y: number) => (!chart.x.log || x > 0) && (!chart.y.log || y > 0);
  const drawn = chart.series.map((s) => ({ ...s, points: s.points.filter(([x, y]) => plottable(x, y)) }));
  const points = drawn.flatMap((s) => s.points);
  const xScale = scale(chart.x, points.map(([x]) => x), MARGIN.left, WIDTH - MARGIN.right);
  const yScale = scale(chart.y, points.map(([, y]) => y), HEIGHT - MARGIN.bottom, MARGIN.top);
  const colors = new Map<string, string>();
  const colorOf = (s: ChartSeries) => {
    const key = s.colorKey ?? s.name;
    if (!colors.has(key)) colors.set(key, PALETTE[colors.size % PALETTE.length]);
    return colors.get(key)!;
  };

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15" font-weight="bold">${escape(chart.title)}</text>`,
  ];
  const plotBottom = HEIGHT - MARGIN.bottom;
  const plotRight = WIDTH - MARGIN.right;
  for (const tick of xScale.ticks) {
    const x = xScale.at(tick);
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${plotBottom}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${x}" y="${plotBottom + 18}" text-anchor="middle">${escape(xScale.format(tick))}</text>`);
  }
  for (const tick of yScale.ticks) {
    const y = yScale.at(tick);
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${plotRight}" y2="${y}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${MARGIN.left - 8}" y="${y + 4}" text-anchor="end">${escape(yScale.format(tick))}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotRight - MARGIN.left}" height="${plotBottom - MARGIN.top}" fill="none" stroke="#444"/>`);
  out.push(`<text x="${(MARGIN.left + plotRight) / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escape(chart.x.label)}</text>`);
  out.push(`<text transform="translate(18 ${(MARGIN.top + plotBottom) / 2}) rotate(-90)" text-anchor="middle">${escape(chart.y.label)}</text>`);

  const labels: Label[] = [];
  drawn.forEach((series, i) => {
    const color = colorOf(series);
    const sorted = [...series.points].sort((a, b) => a[0] - b[0]);
    const path = sorted.map(([x, y], k) => `${k === 0 ? 'M' : 'L'}${xScale.at(x).toFixed(1)},${yScale.at(y).toFixed(1)}`).join(' ');
    if (sorted.length > 1) out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    for (const [x, y] of sorted) {
      const cx = xScale.at(x);
      const cy = yScale.at(y);
      out.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="4" fill="${series.dashed ? 'white' : color}" stroke="${color}" stroke-width="2"/>`);
      if (chart.labelPoints) labels.push({ x: cx, y: cy, text: yScale.format(y), color });
    }
    const ly = MARGIN.top + 10 + i * 22;
    const lx = plotRight + 16;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 26}" y2="${ly}" stroke="${color}" stroke-width="2"${series.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<circle cx="${lx + 13}" cy="${ly}" r="4" fill="${series.dashed ? 'white' : color}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 34}" y="${ly + 4}">${escape(series.name)}</text>`);
  });
  out.push(...placeLabels(labels));
  out.push('</svg>', '');
  return out.join('\n');
}

/** A point's value, written beside it. */
interface Label {
  x: number;
  y: number;
  text: string;
  color: string;
}

type Box = [x0: number, y0: number, x1: number, y1: number];

const LABEL_HEIGHT = 12;
const overlaps = (a: Box, b: Box) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];

/**
 * Writes each label at the first spot around its point (right, above right, below right,
 * left, ...) that covers no other label and no marker, so close points stay readable.
 */
function placeLabels(labels: Label[]): string[] {
  const taken: Box[] = labels.map(({ x, y }) => [x - 5, y - 5, x + 5, y + 5]);
  const out: string[] = [];
  for (const label of [...labels].sort((a, b) => a.y - b.y)) {
    const width = label.text.length * 6.5;
    const spots: [dx: number, dy: number, anchor: 'start' | 'end'][] = [
      [8, 4, 'start'], [8, -8, 'start'], [8, 16, 'start'], [-8, 4, 'end'], [-8, -8, 'end'], [-8, 16, 'end'], [8, -20, 'start'], [8, 28, 'start'],
    ];
    const boxOf = ([dx, dy, anchor]: (typeof spots)[number]): Box => {
      const x0 = anchor === 'start' ? label.x + dx : label.x + dx - width;
      return [x0, label.y + dy - LABEL_HEIGHT + 2, x0 + width, label.y + dy + 2];
    };
    const spot = spots.find((s) => !taken.some((t) => overlaps(t, boxOf(s)))) ?? spots[0];
    taken.push(boxOf(spot));
    out.push(`<text x="${(label.x + spot[0]).toFixed(1)}" y="${(label.y + spot[1]).toFixed(1)}" text-anchor="${spot[2]}" font-size="11" fill="${label.color}" stroke="white" stroke-width="3" paint-order="stroke">${escape(label.text)}</text>`);
  }
  return out;
}

interface Scale {
  ticks: number[];
  at(value: number): number;
  format(value: number): string;
}

function scale(axis: Axis, values: number[], from: number, to: number): Scale {
  const format = axis.format ?? compact;
  if (axis.log) {
    const positive = values.filter((v) => v > 0);
    const lo = Math.floor(Math.log10(Math.min(...positive)));
    const hi = Math.ceil(Math.log10(Math.max(...positive)));
    const [min, max] = hi === lo ? [lo, lo + 1] : [lo, hi];
    const ticks = axis.ticks ?? Array.from({ length: max - min + 1 }, (_, k) => 10 ** (min + k));
    return { ticks, at: (v) => from + ((Math.log10(v) - min) / (max - min)) * (to - from), format };
  }
  const ticks = axis.ticks ?? niceTicks(Math.min(0, ...values), Math.max(...values));
  // Half a step of room at both ends, so points on the first and last tick stay clear of the frame.
  const step = ticks.length > 1 ? (ticks[ticks.length - 1] - ticks[0]) / (ticks.length - 1) : 1;
  const min = Math.min(...ticks) - step / 2;
  const max = Math.max(...ticks) + step / 2;
  return { ticks, at: (v) => from + ((v - min) / (max - min)) * (to - from), format };
}

/** Round ticks (steps of 1, 2 or 5 times a power of ten) from `lo` to past `hi`, about five of them. */
function niceTicks(lo: number, hi: number): number[] {
  const raw = (hi - lo || 1) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t < hi + step; t += step) ticks.push(t);
  return ticks;
}

/** 1,234,567 as `1.2M`, 45,600 as `45.6k`, 0.25 as `0.25`. */
export function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

function trim(value: number): string {
  return String(Number(value.toPrecision(3)));
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
