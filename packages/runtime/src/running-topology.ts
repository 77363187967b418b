import type { TopologyConfig, TopologyDefinition } from '@topo/topology-dsl';
import type { ComponentMetricsSnapshot } from './stats/component-totals.js';
import type { LatencyHistogram } from './stats/latency-histogram.js';
import type { WorkerStatsReport } from './stats/worker-stats.js';

/** One worker of a run on this machine and its latest stats. */
export interface RunWorkerStats {
  id: string;
  host: string;
  /** Where it listens for other workers (0 for a run in one process). */
  port: number;
  restarts: number;
  report?: WorkerStatsReport;
}

/**
 * A topology running on this machine, in this process (`Worker`) or over several worker
 * processes (`LocalWorkerPool`): what `topo run` needs to report on it and stop it.
 */
export interface RunningTopology {
  readonly definition: TopologyDefinition;
  readonly config: TopologyConfig;
  readonly pendingTrees: number;
  metrics(): ComponentMetricsSnapshot[];
  completeLatency(): LatencyHistogram;
  /** Each worker's windowed stats (for the HTTP API of `topo run --ui-port`). */
  workerStats(): RunWorkerStats[];
  activate(): void;
  deactivate(): void;
  /** Resolves true once no spout tree is pending, false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}
