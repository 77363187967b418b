// Tuples per second along each edge of the graph, from successive reads of the
// visualization's transferred counts. Plain data, tested without a browser.

import type { Visualization } from '../rest-types.js';
import type { GraphEdge } from './graph-layout.js';

export function edgeKey(e: GraphEdge): string {
  return `${e.from}\u0000${e.stream}\u0000${e.to}`;
}

/** The edges of a visualization: one per input of each component. */
export function visualizationEdges(vis: Visualization): GraphEdge[] {
  return Object.entries(vis).flatMap(([to, node]) =>
    (node[':inputs'] ?? []).map((i) => ({ from: i[':component'], to, stream: i[':stream'], grouping: i[':grouping'] })),
  );
}

/**
 * Tuples delivered along each edge so far: the source's transferred count on that stream
 * (summed over its executors), shared among the stream's subscribers. Without per-stream
 * stats, the component's transferred count is shared among all its outgoing edges.
 */
export function edgeCounts(vis: Visualization, edges: GraphEdge[], window: string): Map<string, number> {
  const counts = new Map<string, number>();
  const subscribers = new Map<string, number>();
  const bySource = new Map<string, number>();
  for (const e of edges) {
    subscribers.set(`${e.from}\u0000${e.stream}`, (subscribers.get(`${e.from}\u0000${e.stream}`) ?? 0) + 1);
    bySource.set(e.from, (bySource.get(e.from) ?? 0) + 1);
  }
  for (const e of edges) {
    const source = vis[e.from];
    if (source === undefined) continue;
    const stats = source[':stats'];
    if (stats !== undefined && stats.length > 0) {
      const sani = saniStream(e.stream);
      let total = 0;
      for (const executor of stats) {
        const byWindow = executor[':transferred'] ?? {};
        const streams = byWindow[window] ?? (Object.keys(byWindow).length === 1 ? Object.values(byWindow)[0] : {});
        total += Number(streams[sani] ?? streams[e.stream] ?? 0);
      }
      counts.set(edgeKey(e), total / subscribers.get(`${e.from}\u0000${e.stream}`)!);
    } else if (typeof source[':transferred'] === 'number') {
      counts.set(edgeKey(e), source[':transferred'] / bySource.get(e.from)!);
    }
  }
  return counts;
}

/** The longest executor uptime of a component, in seconds (for the average rate before two reads exist). */
export function uptimeSecs(vis: Visualization, component: string): number | undefined {
  const ups = (vis[component]?.[':stats'] ?? []).map((s) => s[':uptime_secs']).filter((u): u is number => typeof u === 'number');
  return ups.length === 0 ? undefined : Math.max(...ups);
}

/** Storm's DOM-safe stream name: characters outside [A-Za-z_.-] become `_`; `_s` in front unless it starts with a letter. */
export function saniStream(stream: string): string {
  const s = stream.replace(/[^A-Za-z_.-]/g, '_');
  return /^[A-Za-z]/.test(s) ? s : `_s${s}`;
}

/**
 * Rates from counts read over time: the change between the newest read and the newest
 * one at least `spanMs` older. Stats arrive in steps (each worker report), so a shorter
 * span would swing between zero and bursts. A count that drops (a restarted worker,
 * a rebalance) starts that key afresh.
 */
export class RateTracker {
  private readonly samples: { at: number; counts: ReadonlyMap<string, number> }[] = [];

  constructor(
    private readonly spanMs = 10_000,
    private readonly keepMs = 60_000,
  ) {}

  observe(atMs: number, counts: ReadonlyMap<string, number>): void {
    this.samples.push({ at: atMs, counts });
    while (this.samples.length > 2 && this.samples[1].at <= atMs - this.keepMs) this.samples.shift();
  }

  /** Per second, or undefined until reads span `spanMs` (or after a drop). */
  rate(key: string): number | undefined {
    const newest = this.samples.at(-1);
    if (newest === undefined) return undefined;
    const now = newest.counts.get(key);
    if (now === undefined) return undefined;
    for (let i = this.samples.length - 2; i >= 0; i--) {
      const older = this.samples[i];
      const then = older.counts.get(key);
      if (then === undefined || then > now) return undefined;
      if (newest.at - older.at >= this.spanMs) return ((now - then) * 1000) / (newest.at - older.at);
    }
    return undefined;
  }
}
