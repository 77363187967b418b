// What the REST API answers: Storm UI's field names (see the facts doc,
// storm-ui-and-metrics.md §1). Nearly every field is optional here: the pages show "–"
// for what a server does not send rather than breaking.

export type StatsWindow = '600' | '10800' | '86400' | ':all-time';
export const WINDOWS: { window: StatsWindow; label: string }[] = [
  { window: '600', label: '10m 0s' },
  { window: '10800', label: '3h 0m 0s' },
  { window: '86400', label: '1d 0h 0m 0s' },
  { window: ':all-time', label: 'All time' },
];

/** Count or Storm's three-decimal string. */
type Num = number | string;

export interface ClusterSummary {
  stormVersion?: string;
  supervisors?: number;
  topologies?: number;
  slotsTotal?: number;
  slotsUsed?: number;
  slotsFree?: number;
  executorsTotal?: number;
  tasksTotal?: number;
}

export interface SupervisorRow {
  id: string;
  host?: string;
  uptime?: string;
  uptimeSeconds?: number;
  slotsTotal?: number;
  slotsUsed?: number;
  slotsFree?: number;
  version?: string;
  logLink?: string;
}

export interface NimbusRow {
  host?: string;
  port?: number;
  status?: string;
  version?: string;
  nimbusUpTimeSeconds?: number | string;
  nimbusLogLink?: string;
  /** Topo's own fields, before its summary speaks Storm's. */
  id?: string;
  url?: string;
  leader?: boolean;
  uptimeSeconds?: number;
}

export interface TopologyRow {
  id: string;
  encodedId?: string;
  name: string;
  status?: string;
  uptime?: string;
  uptimeSeconds?: number;
  tasksTotal?: number;
  workersTotal?: number;
  executorsTotal?: number;
  owner?: string;
  /** Why a topology cannot run (FAILED). */
  problem?: string;
  /** What is wrong with its workers, e.g. `worker host:6701 crash-looping: <why its start failed>`. */
  workerProblem?: string;
}

export interface LastError {
  lastError?: string;
  errorHost?: string;
  errorPort?: number | string;
  errorTime?: number | null;
  errorLapsedSecs?: number | null;
  errorWorkerLogLink?: string | null;
}

export interface ComponentStats extends LastError {
  executors?: number;
  tasks?: number;
  emitted?: number;
  transferred?: number;
  acked?: number;
  failed?: number;
}

export interface SpoutRow extends ComponentStats {
  spoutId: string;
  encodedSpoutId?: string;
  completeLatency?: Num;
}

export interface BoltRow extends ComponentStats {
  boltId: string;
  encodedBoltId?: string;
  executed?: number;
  executeLatency?: Num;
  processLatency?: Num;
  capacity?: Num;
}

export interface WindowStats {
  window: string;
  windowPretty?: string;
  emitted?: number;
  transferred?: number;
  completeLatency?: Num;
  acked?: number;
  failed?: number;
}

export interface WorkerRow {
  supervisorId?: string;
  host?: string;
  port?: number;
  uptime?: string;
  uptimeSeconds?: number;
  executorsTotal?: number;
  componentNumTasks?: Record<string, number>;
  workerLogLink?: string;
  /** Topo extras: restarts of this slot's worker, and the worker's health at its last report. */
  restarts?: number;
  gauges?: WorkerGauges;
}

export interface WorkerGauges {
  heapUsedBytes?: number;
  rssBytes?: number;
  /** Share of wall time the event loop was busy (0..1): a Node worker's saturation. */
  eventLoopUtilization?: number;
  eventLoopDelayMs?: number;
  /** Tuples waiting in the worker's bolt receive queues. */
  inboxDepth?: number;
  /** Whether the worker's spouts are held back (a full queue here or downstream). */
  backpressure?: boolean;
}

/** `/topology/:id`: the summary row's fields and the stats of the requested window. */
export interface TopologyPage extends TopologyRow {
  window?: string;
  windowHint?: string;
  msgTimeout?: number;
  topologyStats?: WindowStats[];
  spouts?: SpoutRow[];
  bolts?: BoltRow[];
  workers?: WorkerRow[];
}

export interface VisualizationInput {
  ':component': string;
  ':stream': string;
  ':sani-stream'?: string;
  ':grouping'?: string;
}

export interface VisualizationNode {
  ':type': 'spout' | 'bolt';
  ':capacity'?: Num;
  ':latency'?: Num;
  ':transferred'?: number;
  ':stats'?: { ':host'?: string; ':port'?: number; ':uptime_secs'?: number; ':transferred'?: Record<string, Record<string, number>> }[];
  ':inputs'?: VisualizationInput[];
}
export type Visualization = Record<string, VisualizationNode>;

export interface ComponentError {
  errorTime?: number;
  errorHost?: string;
  errorPort?: number | string;
  errorWorkerLogLink?: string;
  errorLapsedSecs?: number;
  error?: string;
}

export interface ExecutorRow {
  id: string;
  host?: string;
  port?: number;
  uptime?: string;
  uptimeSeconds?: number;
  emitted?: number;
  transferred?: number;
  acked?: number;
  failed?: number;
  completeLatency?: Num;
  executed?: number;
  executeLatency?: Num;
  processLatency?: Num;
  capacity?: Num;
  workerLogLink?: string;
}

export interface ComponentPage {
  id: string;
  name?: string;
  topologyId?: string;
  topologyStatus?: string;
  componentType?: 'spout' | 'bolt';
  window?: string;
  windowHint?: string;
  executors?: number;
  tasks?: number;
  spoutSummary?: (WindowStats & { windowPretty?: string })[];
  boltStats?: (WindowStats & { executed?: number; executeLatency?: Num; processLatency?: Num; capacity?: Num })[];
  inputStats?: { component: string; stream: string; executed?: number; executeLatency?: Num; processLatency?: Num; acked?: number; failed?: number }[];
  outputStats?: { stream: string; emitted?: number; transferred?: number; completeLatency?: Num; acked?: number; failed?: number }[];
  executorStats?: ExecutorRow[];
  componentErrors?: ComponentError[];
}
