import type { ExecutorStats } from './executor-stats.js';

/** One component's counters since its executors started, summed over streams and executors: `topo run`'s lines and the heartbeats' totals. */
export interface ComponentMetricsSnapshot {
  component: string;
  kind: 'spout' | 'bolt' | 'acker';
  /** Tuples emitted (one per emit call, whatever the fan-out). */
  emitted: number;
  /** Tuple deliveries to tasks (an emit to three tasks counts three). */
  transferred: number;
  /** Bolt: inputs processed. */
  executed: number;
  /** Spout: trees fully acked. Bolt: inputs acked. */
  acked: number;
  /** Spout: trees failed (timeouts included). Bolt: inputs failed. */
  failed: number;
  /** Spout: trees failed by the message timeout. */
  timedOut: number;
  errors: number;
  /** Spout trees not yet acked or failed. */
  pending: number;
  /** The component's own counters (`context.incrMetric`), when it has any. */
  custom?: Record<string, number>;
}

/** A zeroed snapshot for a component. */
export function emptySnapshot(component: string, kind: ComponentMetricsSnapshot['kind']): ComponentMetricsSnapshot {
  return { component, kind, emitted: 0, transferred: 0, executed: 0, acked: 0, failed: 0, timedOut: 0, errors: 0, pending: 0 };
}

/** Adds `counters` into `total`; `pending` is a level, not a count, so only live sources add it. */
export function addCounters(total: ComponentMetricsSnapshot, counters: ComponentMetricsSnapshot, pending = 0): void {
  total.emitted += counters.emitted;
  total.transferred += counters.transferred;
  total.executed += counters.executed;
  total.acked += counters.acked;
  total.failed += counters.failed;
  total.timedOut += counters.timedOut;
  total.errors += counters.errors;
  total.pending += pending;
  if (counters.custom !== undefined) {
    // A fresh object: `total` may be a shallow copy whose `custom` belongs to another snapshot.
    const custom = { ...total.custom };
    for (const [name, value] of Object.entries(counters.custom)) custom[name] = (custom[name] ?? 0) + value;
    total.custom = custom;
  }
}

/** An executor's counters summed over its streams. */
export function executorTotals(stats: ExecutorStats, component: string, kind: ComponentMetricsSnapshot['kind'], pending: number): ComponentMetricsSnapshot {
  const totals: ComponentMetricsSnapshot = {
    component,
    kind,
    emitted: stats.total(stats.emitted),
    transferred: stats.total(stats.transferred),
    executed: stats.total(stats.executed),
    acked: stats.total(stats.acked),
    failed: stats.total(stats.failed),
    timedOut: stats.timedOut,
    errors: stats.errors,
    pending,
  };
  if (stats.custom !== undefined) totals.custom = { ...stats.custom };
  return totals;
}
