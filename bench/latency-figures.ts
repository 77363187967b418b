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
 * What `after` recorded since `before`, both cumulative copies of one histogram: the
 * measured window's share of an engine histogram that cannot be reset after warm-up.
 */
export function histogramSince(before: LatencyHistogram, after: LatencyHistogram): LatencyHistogram {
  const earlier = new Map<number, number>();
  const old = before.toSparse();
  for (let i = 0; i < old.length; i += 2) earlier.set(old[i], old[i + 1]);
  const now = after.toSparse();
  const since: number[] = [];
  for (let i = 0; i < now.length; i += 2) {
    const added = now[i + 1] - (earlier.get(now[i]) ?? 0);
    if (added > 0) since.push(now[i], added);
  }
  const window = new LatencyHistogram();
  window.mergeSparse(since, after.max);
  return window;
}
