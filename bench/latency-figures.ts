import { LatencyHistogram } from '@topo/runtime';
import type { Figures } from './part.js';

/** The report's latency columns, read from an HDR-style histogram rather than averaged. */
export function latencyFigures(histogram: LatencyHistogram): Figures {
  return {
    latencyP50Us: histogram.percentile(50),
    latencyP99Us: histogram.percentile(99),
    latencyP999Us: histogram.percentile(99.9),
  };
}

/**
 * Bucket counts `after` recorded since `before`, both cumulative sparse copies
 * (`[index, count, ...]`) of one histogram.
 */
export function sparseSince(before: number[], after: number[]): number[] {
  const earlier = new Map<number, number>();
  for (let i = 0; i < before.length; i += 2) earlier.set(before[i], before[i + 1]);
  const since: number[] = [];
  for (let i = 0; i < after.length; i += 2) {
    const added = after[i + 1] - (earlier.get(after[i]) ?? 0);
    if (added > 0) since.push(after[i], added);
  }
  return since;
}

/**
 * What `after` recorded since `before`, both cumulative copies of one histogram: the
 * measured window's share of an engine histogram that cannot be reset after warm-up.
 */
export function histogramSince(before: LatencyHistogram, after: LatencyHistogram): LatencyHistogram {
  const window = new LatencyHistogram();
  window.mergeSparse(sparseSince(before.toSparse(), after.toSparse()), after.max);
  return window;
}
