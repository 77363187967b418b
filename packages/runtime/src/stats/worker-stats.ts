import { addCounters, emptySnapshot, executorTotals, type ComponentMetricsSnapshot } from './component-totals.js';
import type { ExecutorStats } from './executor-stats.js';
import { LatencyHistogram } from './latency-histogram.js';
import { RollingWindows } from './rolling-windows.js';
import { STATS_WINDOWS, type StatsWindow } from './stats-windows.js';
import { capacity, windowStats, type StreamName, type WindowStats } from './window-stats.js';
import { WorkerGaugeSampler, type WorkerGauges } from './worker-gauges.js';

/** What the worker's stats read of an executor. */
export interface StatsSource {
  readonly component: string;
  readonly kind: 'spout' | 'bolt' | 'acker';
  readonly tasks: readonly number[];
  readonly stats: ExecutorStats;
  /** Spout trees (or acker entries) in flight now. */
  readonly pending: number;
  /** Tuples waiting in its receive queue now. */
  readonly queued: number;
  /** Complete latency of a spout's sampled trees since it started. */
  readonly latency?: LatencyHistogram;
}

/** One executor's part of a stats report. */
export interface ExecutorReport {
  component: string;
  kind: 'spout' | 'bolt' | 'acker';
  tasks: number[];
  uptimeSeconds: number;
  /** Storm's capacity (bolts; 0 for the rest), from the 10-minute window. */
  capacity: number;
  pending: number;
  queued: number;
  windows: Record<StatsWindow, WindowStats>;
}

/** What a worker reports about its executors and itself, rolled into Storm's windows at report time. */
export interface WorkerStatsReport {
  /** When the figures were taken (ms since the epoch). */
  time: number;
  gauges: WorkerGauges;
  executors: ExecutorReport[];
}

/**
 * The stats of one worker's executors: totals for `topo run`'s lines and the heartbeats,
 * and the windowed report the REST API, the UI and `/metrics` read.
 */
export class WorkerStats {
  private readonly windows = new Map<StatsSource, RollingWindows>();
  private gauges: WorkerGaugeSampler | undefined;

  constructor(
    private readonly executors: readonly StatsSource[],
    private readonly streams: readonly StreamName[],
    /** Inbox depth and backpressure now, for the gauges. */
    private readonly pressure: () => { inboxDepth: number; backpressure: boolean },
  ) {}

  /** Counters per component, summed over this worker's executors. */
  componentTotals(): ComponentMetricsSnapshot[] {
    const byComponent = new Map<string, ComponentMetricsSnapshot>();
    for (const ex of this.executors) {
      let total = byComponent.get(ex.component);
      if (total === undefined) byComponent.set(ex.component, (total = emptySnapshot(ex.component, ex.kind)));
      addCounters(total, executorTotals(ex.stats, ex.component, ex.kind, 0), ex.pending);
    }
    return [...byComponent.values()];
  }

  /** Complete latency (spout emit to ack) of this worker's spouts, merged. */
  completeLatency(): LatencyHistogram {
    const merged = new LatencyHistogram();
    for (const ex of this.executors) if (ex.latency !== undefined) merged.merge(ex.latency);
    return merged;
  }

  /** Rolls every executor's counters into the windows and samples the gauges. */
  report(now = Date.now()): WorkerStatsReport {
    const { inboxDepth, backpressure } = this.pressure();
    const gauges = (this.gauges ??= new WorkerGaugeSampler()).sample(inboxDepth, backpressure, now);
    const executors = this.executors.map((ex): ExecutorReport => {
      let rolling = this.windows.get(ex);
      if (rolling === undefined) this.windows.set(ex, (rolling = new RollingWindows(ex.stats.startedAt)));
      const deltas = rolling.roll(ex.stats.vector(), now);
      const windows = {} as Record<StatsWindow, WindowStats>;
      for (const window of STATS_WINDOWS) windows[window] = windowStats(deltas.get(window)!, this.streams, ex.kind);
      const uptimeSeconds = Math.max(0, (now - ex.stats.startedAt) / 1000);
      return {
        component: ex.component,
        kind: ex.kind,
        tasks: [...ex.tasks],
        uptimeSeconds,
        capacity: ex.kind === 'bolt' ? capacity(windows['600'], uptimeSeconds) : 0,
        pending: ex.pending,
        queued: ex.queued,
        windows,
      };
    });
    return { time: now, gauges, executors };
  }

  close(): void {
    this.gauges?.close();
  }
}
