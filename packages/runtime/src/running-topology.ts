import type { TopologyConfig, TopologyDefinition } from '@topo/topology-dsl';
import type { ErrorLog } from './errors/error-log.js';
import type { ComponentMetricsSnapshot } from './metrics/component-metrics.js';
import type { LatencyHistogram } from './metrics/latency-histogram.js';

/**
 * A topology running on this machine, in this process (`Worker`) or over several worker
 * processes (`LocalWorkerPool`): what `topo run` needs to report on it and stop it.
 */
export interface RunningTopology {
  readonly definition: TopologyDefinition;
  readonly config: TopologyConfig;
  readonly pendingTrees: number;
  metrics(): ComponentMetricsSnapshot[];
  /** The last errors of each component (throttled as the topology's config says). */
  readonly errorLog: ErrorLog;
  completeLatency(): LatencyHistogram;
  activate(): void;
  deactivate(): void;
  /** Resolves true once no spout tree is pending, false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}
