/** Counters one executor keeps; the worker sums them per component. */
export class ComponentMetrics {
  /** Tuples emitted (one per emit call, whatever the fan-out). */
  emitted = 0;
  /** Tuple deliveries to tasks (an emit to three tasks counts three). */
  transferred = 0;
  /** Bolt: inputs processed. */
  executed = 0;
  /** Spout: trees fully acked. Bolt: inputs acked. */
  acked = 0;
  /** Spout: trees failed (timeouts included). Bolt: inputs failed. */
  failed = 0;
  /** Spout: trees failed by the message timeout. */
  timedOut = 0;
  errors = 0;
  /** Counters the component keeps itself (`context.incrMetric`), created on first use. */
  custom: Record<string, number> | undefined = undefined;

  incrCustom(name: string, amount: number): void {
    const custom = (this.custom ??= {});
    custom[name] = (custom[name] ?? 0) + amount;
  }
}

export interface ComponentMetricsSnapshot {
  component: string;
  kind: 'spout' | 'bolt' | 'acker';
  emitted: number;
  transferred: number;
  executed: number;
  acked: number;
  failed: number;
  timedOut: number;
  errors: number;
  /** Spout trees not yet acked or failed. */
  pending: number;
  /** Spout tasks that said they have nothing more to emit (`Spout.done()`) and have had no failure since; a level, as `pending`. */
  done?: number;
  /** The component's own counters (`context.incrMetric`), when it has any. */
  custom?: Record<string, number>;
}

/** A zeroed snapshot for a component. */
export function emptySnapshot(component: string, kind: ComponentMetricsSnapshot['kind']): ComponentMetricsSnapshot {
  return { component, kind, emitted: 0, transferred: 0, executed: 0, acked: 0, failed: 0, timedOut: 0, errors: 0, pending: 0 };
}

/** Adds `counters` into `total`; `pending` and `done` are levels, not counts, so only live sources add them. */
export function addCounters(total: ComponentMetricsSnapshot, counters: ComponentMetrics | ComponentMetricsSnapshot, pending = 0, done = 0): void {
  total.emitted += counters.emitted;
  total.transferred += counters.transferred;
  total.executed += counters.executed;
  total.acked += counters.acked;
  total.failed += counters.failed;
  total.timedOut += counters.timedOut;
  total.errors += counters.errors;
  total.pending += pending;
  if (done > 0) total.done = (total.done ?? 0) + done;
  if (counters.custom !== undefined) {
    // A fresh object: `total` may be a shallow copy whose `custom` belongs to another snapshot.
    const custom = { ...total.custom };
    for (const [name, value] of Object.entries(counters.custom)) custom[name] = (custom[name] ?? 0) + value;
    total.custom = custom;
  }
}
