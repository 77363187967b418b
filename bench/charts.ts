import type { BenchResults, VariantResult } from './results.js';
import { compact, renderLineChart, type ChartSeries } from './svg-chart.js';

/** A chart of one run, as the file it is written to and the SVG in it. */
export interface RenderedChart {
  file: string;
  title: string;
  svg: string;
}

function bySeries(variants: VariantResult[]): Map<string, VariantResult[]> {
  const groups = new Map<string, VariantResult[]>();
  for (const v of variants) groups.set(v.chart!.series, [...(groups.get(v.chart!.series) ?? []), v]);
  return groups;
}

/**
 * Throughput against workers for every variant placed on it, and latency against offered
 * load for every variant run at a fixed rate; a chart with nothing to show is left out.
 */
export function renderCharts(results: BenchResults): RenderedChart[] {
  const variants = results.parts.flatMap((p) => p.variants);
  const charts: RenderedChart[] = [];

  const scaled = variants.filter((v) => v.chart?.workers !== undefined);
  if (scaled.length > 0) {
    const series: ChartSeries[] = [...bySeries(scaled)].map(([name, list]) => ({
      name,
      points: list.map((v) => [v.chart!.workers!, v.median.tuplesPerSec]),
    }));
    const maxWorkers = Math.max(...scaled.map((v) => v.chart!.workers!));
    const title = 'Throughput against workers (median tuples/s)';
    charts.push({
      file: 'throughput.svg',
      title,
      svg: renderLineChart({
        title,
        x: { label: 'workers (processes or threads doing the work)', ticks: Array.from({ length: maxWorkers }, (_, k) => k + 1), format: String },
        y: { label: 'tuples/s (log scale)', log: true },
        series,
        labelPoints: true,
      }),
    });
  }

  const loaded = variants.filter((v) => v.chart?.offeredLoad === true);
  if (loaded.length > 0) {
    const series: ChartSeries[] = [...bySeries(loaded)].flatMap(([name, list]) => [
      { name: `${name} p50`, colorKey: name, points: list.map((v): [number, number] => [v.median.offeredTuplesPerSec, v.median.latencyP50Us / 1000]) },
      { name: `${name} p99`, colorKey: name, dashed: true, points: list.map((v): [number, number] => [v.median.offeredTuplesPerSec, v.median.latencyP99Us / 1000]) },
    ]);
    const offered = loaded.map((v) => v.median.offeredTuplesPerSec);
    const title = 'Latency against offered load (median of runs)';
    charts.push({
      file: 'latency.svg',
      title,
      svg: renderLineChart({
        title,
        // Linear while one contender's range fits; log once several with far apart rates share the axis.
        x: { label: 'offered load, tuples/s', log: Math.max(...offered) / Math.min(...offered) > 20 },
        y: { label: 'latency (log scale)', log: true, format: (ms) => (ms >= 1000 ? `${compact(ms / 1000)} s` : `${compact(ms)} ms`) },
        series,
      }),
    });
  }
  return charts;
}
