import type { WorkerStatsReport } from '@topo/runtime';
import type { TopologyConfig, TopologyDefinition } from '@topo/topology-dsl';

/** One worker of a topology as the stats views see it: where it runs and its current process's last report. */
export interface StatsWorker {
  id: string;
  supervisor: string;
  host: string;
  port: number;
  /** Processes that died in this slot since it was started for the topology. */
  restarts: number;
  /** Its last stats report; absent until the process has reported. */
  report?: WorkerStatsReport;
}

/**
 * What the REST API's stats, the visualization and `/metrics` are computed from: the same
 * shape whether nimbus read it from the workers' heartbeats in Redis or `topo run` from
 * its own workers, so a laptop run and a cluster answer alike.
 */
export interface StatsTopology {
  id: string;
  name: string;
  /** ACTIVE, INACTIVE, KILLED, REBALANCING (or FAILED). */
  status: string;
  uptimeSeconds: number;
  definition: TopologyDefinition;
  configuration: TopologyConfig;
  workers: StatsWorker[];
}
