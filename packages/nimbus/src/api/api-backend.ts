import type { StatsTopology } from '../stats/stats-topology.js';

/** What an action answers: Storm's `{topologyOperation, topologyId, status}`, and whatever else the backend says. */
export interface ActionResult {
  topologyOperation: string;
  topologyId: string;
}

export interface RebalanceRequest {
  waitSecs?: number;
  workers?: number;
  parallelism?: Record<string, number>;
}

/**
 * What backs the HTTP API: nimbus's cluster state, or the topology `topo run` runs on
 * this machine. The API renders Storm UI's shapes from it, so both answer the same paths
 * with the same fields.
 */
export interface ApiBackend {
  clusterSummary(): Promise<object>;
  nimbusSummary(): Promise<object>;
  supervisorSummary(): Promise<object>;
  topologySummary(): Promise<{ topologies: object[] }>;
  /** A topology by id or name: its own fields (identity, status, workers as placed) and its stats. */
  topology(ref: string): Promise<{ detail: Record<string, unknown> & { workers?: { id: string }[] }; stats: StatsTopology }>;
  /** Every running topology's stats, for `/metrics`. */
  statsTopologies(): Promise<StatsTopology[]>;
  activate(ref: string): Promise<ActionResult>;
  deactivate(ref: string): Promise<ActionResult>;
  kill(ref: string, waitSecs: number | undefined): Promise<ActionResult>;
  rebalance(ref: string, request: RebalanceRequest): Promise<ActionResult>;
}
