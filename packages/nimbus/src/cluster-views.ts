import { addCounters, emptySnapshot, type ComponentMetricsSnapshot, type ErrorRecord, type ExecutorSpec } from '@topo/runtime';
import { DEFAULT_CONFIG, mergeConfig, type TopologyConfig } from '@topo/topology-dsl';
import { ClusterStateError } from './errors.js';
import type { ClusterAssignment } from './state/cluster-assignment.js';
import type { ClusterState } from './state/cluster-state.js';
import type { WorkerFailure } from './state/worker-failure.js';
import type { WorkerHeartbeat } from './state/worker-heartbeat.js';
import type { StatsTopology } from './stats/stats-topology.js';
import { prettyUptime } from './stats/storm-format.js';
import { workerHealth } from './worker-health.js';
import { isUnreadable, requestedWorkers, type TopologyRecord, type TopologyStatus, type UnreadableTopology } from './state/topology-record.js';
import type { TopologyCommands } from './topology-commands.js';
import { topologySize } from './topology-layout.js';

export interface TopologySummary {
  id: string;
  /** The id URL-encoded, for building links (Storm's). */
  encodedId: string;
  name: string;
  /** Storm's spelling: ACTIVE, INACTIVE, KILLED, REBALANCING; and FAILED when the leader cannot run it. */
  status: string;
  /** Why it is FAILED: the leader's reason, or what is wrong with its stored record. */
  problem?: string;
  /** What is wrong with a running topology's workers, e.g. `worker host:6701 crash-looping: <why its start failed>`. */
  workerProblem?: string;
  /** Worker processes that died in their slots, over the topology's workers. */
  workerRestarts: number;
  uptime: string;
  uptimeSeconds: number;
  tasksTotal: number;
  executorsTotal: number;
  workersTotal: number;
  requestedWorkers: number;
  /** Seconds left of a kill or rebalance wait. */
  transitionSecondsLeft?: number;
}

export interface TopologyWorker {
  id: string;
  supervisor: string;
  host: string;
  port: number;
  executors: ExecutorSpec[];
  pid?: number;
  uptimeSeconds?: number;
  restarts?: number;
  /** Its log at its supervisor's logviewer (Storm's field), when the supervisor serves logs. */
  workerLogLink?: string;
}

export interface TopologyDetail extends TopologySummary {
  active: boolean;
  assignmentVersion: number;
  workers: TopologyWorker[];
  /** Counters per component, summed over the workers' current processes as last reported. */
  components: ComponentMetricsSnapshot[];
  /** The config workers run with: Storm's defaults, the topology's own, the submit-time overrides. */
  configuration: TopologyConfig;
  /** The newest error of each component that has one (a failed open() of a crash-looping worker included). */
  lastErrors: ErrorRecord[];
}


export interface SupervisorSummary {
  id: string;
  host: string;
  hostname: string;
  slotsTotal: number;
  slotsUsed: number;
  uptimeSeconds: number;
}

export interface NimbusSummary {
  id: string;
  url: string;
  leader: boolean;
  uptimeSeconds: number;
}

export interface ClusterSummary {
  leader: string | null;
  nimbuses: number;
  supervisors: number;
  slotsTotal: number;
  slotsUsed: number;
  slotsFree: number;
  topologies: number;
  executorsTotal: number;
  tasksTotal: number;
}

/** The REST API's reads, in Storm UI's shapes where they fit; any nimbus answers them from Redis. */
export class ClusterViews {
  constructor(
    private readonly state: ClusterState,
    private readonly commands: TopologyCommands,
  ) {}

  async topologySummary(now = Date.now()): Promise<{ topologies: TopologySummary[] }> {
    const assignments = new Map((await this.state.assignments()).map((a) => [a.topology, a]));
    const { records, unreadable } = await this.state.topologyEntries();
    const all = [...records, ...unreadable].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return {
      topologies: await Promise.all(
        all.map(async (t) => {
          const assignment = assignments.get(t.id);
          const workers = await this.workerStates(t.id, assignment);
          return withWorkerHealth(summarize(t, assignment, now), assignment, workers, now);
        }),
      ),
    };
  }

  async topology(ref: string, now = Date.now()): Promise<TopologyDetail> {
    return (await this.topologyView(ref, now)).detail;
  }

  /** Every topology with an assignment, with its workers' latest stats: what `/metrics` reports. */
  async statsTopologies(now = Date.now()): Promise<StatsTopology[]> {
    const { records } = await this.state.topologyEntries();
    const views = await Promise.all(records.map((r) => this.topologyView(r.id, now).catch(() => undefined)));
    return views.flatMap((v) => (v === undefined || v.detail.workersTotal === 0 ? [] : [v.stats]));
  }

  /** A topology's detail and the stats views' input, from the same reads. */
  async topologyView(ref: string, now = Date.now()): Promise<{ detail: TopologyDetail; stats: StatsTopology }> {
    const record = await this.commands.find(ref);
    // An assignment that fails its schema is left out, as the listing leaves it out.
    const assignment = await this.state.assignment(record.id).catch((error: unknown) => {
      if (error instanceof ClusterStateError) return undefined;
      throw error;
    });
    const { beats, failures } = await this.workerStates(record.id, assignment);
    const logviewers = new Map((await this.state.supervisors()).map((s) => [s.id, s.logviewer]));
    const components = new Map<string, ComponentMetricsSnapshot>();
    const workers: TopologyWorker[] = (assignment?.workers ?? []).map((w) => {
      const beat = beats.get(w.id);
      const worker: TopologyWorker = { id: w.id, supervisor: w.supervisor, host: w.host, port: w.port, executors: w.executors };
      const logviewer = logviewers.get(w.supervisor);
      if (logviewer !== undefined) worker.workerLogLink = workerLogLink(logviewer, record.id, w.port);
      if (beat === undefined) return worker;
      for (const m of beat.metrics) {
        let total = components.get(m.component);
        if (total === undefined) components.set(m.component, (total = emptySnapshot(m.component, m.kind)));
        addCounters(total, m, m.pending);
      }
      return { ...worker, pid: beat.pid, uptimeSeconds: seconds(now - beat.startedAt), restarts: beat.restarts };
    });
    const order = isUnreadable(record) ? [] : record.definition.components.map((c) => c.name);
    const configuration = isUnreadable(record) ? {} : mergeConfig(DEFAULT_CONFIG, record.definition.config, record.overrides);
    const lastErrors = (await this.state.lastErrors(record.id)).sort((a, b) => rank(order, a.component) - rank(order, b.component));
    const detail: TopologyDetail = {
      ...withWorkerHealth(summarize(record, assignment, now), assignment, { beats, failures }, now),
      active: assignment?.active ?? false,
      assignmentVersion: assignment?.version ?? 0,
      workers,
      components: [...components.values()].sort((a, b) => rank(order, a.component) - rank(order, b.component)),
      configuration,
      lastErrors,
    };
    const stats: StatsTopology = {
      id: record.id,
      name: record.name,
      status: detail.status,
      uptimeSeconds: detail.uptimeSeconds,
      definition: isUnreadable(record) ? { name: record.name, config: {}, components: [] } : record.definition,
      configuration,
      lastErrors,
      workers: (assignment?.workers ?? []).map((w) => {
        const beat = beats.get(w.id);
        return { id: w.id, supervisor: w.supervisor, host: w.host, port: w.port, restarts: beat?.restarts ?? 0, report: beat?.stats };
      }),
    };
    return { detail, stats };
  }

  /** The latest heartbeats and start failures of a topology's workers (none to read without an assignment). */
  private async workerStates(id: string, assignment: ClusterAssignment | undefined): Promise<WorkerStates> {
    if (assignment === undefined) return { beats: new Map(), failures: new Map() };
    const [beats, failures] = await Promise.all([this.state.workerHeartbeats(id), this.state.workerFailures(id)]);
    return { beats: new Map(beats.map((b) => [b.worker, b])), failures: new Map(failures.map((f) => [f.worker, f])) };
  }

  /** A component's kept errors, oldest first (Storm UI's component page lists them). */
  componentErrors(id: string, component: string): Promise<ErrorRecord[]> {
    return this.state.componentErrors(id, component);
  }

  async supervisorSummary(now = Date.now()): Promise<{ supervisors: SupervisorSummary[] }> {
    const used = new Map<string, number>();
    for (const a of await this.state.assignments()) for (const w of a.workers) used.set(w.supervisor, (used.get(w.supervisor) ?? 0) + 1);
    const supervisors = (await this.state.supervisors()).map((s) => ({
      id: s.id,
      host: s.host,
      hostname: s.hostname,
      slotsTotal: s.ports.length,
      slotsUsed: used.get(s.id) ?? 0,
      slotsFree: s.ports.length - (used.get(s.id) ?? 0),
      uptime: prettyUptime(seconds(now - s.startedAt)),
      uptimeSeconds: seconds(now - s.startedAt),
    }));
    return { supervisors };
  }

  async nimbusSummary(now = Date.now()): Promise<{ nimbuses: NimbusSummary[] }> {
    const leader = await this.state.leader();
    const nimbuses = (await this.state.nimbuses()).map((n) => {
      const url = new URL(n.url);
      const uptimeSeconds = seconds(now - n.startedAt);
      return {
        id: n.id,
        url: n.url,
        host: url.hostname,
        port: Number(url.port),
        leader: n.id === leader,
        status: n.id === leader ? 'Leader' : 'Not a Leader',
        uptimeSeconds,
        nimbusUpTime: prettyUptime(uptimeSeconds),
        nimbusUpTimeSeconds: uptimeSeconds,
      };
    });
    return { nimbuses };
  }

  async clusterSummary(): Promise<ClusterSummary> {
    const [supervisors, topologies, nimbuses] = [(await this.supervisorSummary()).supervisors, (await this.topologySummary()).topologies, await this.state.nimbuses()];
    const slotsTotal = supervisors.reduce((n, s) => n + s.slotsTotal, 0);
    const slotsUsed = supervisors.reduce((n, s) => n + s.slotsUsed, 0);
    return {
      leader: (await this.state.leader()) ?? null,
      nimbuses: nimbuses.length,
      supervisors: supervisors.length,
      slotsTotal,
      slotsUsed,
      slotsFree: slotsTotal - slotsUsed,
      topologies: topologies.length,
      executorsTotal: topologies.reduce((n, t) => n + t.executorsTotal, 0),
      tasksTotal: topologies.reduce((n, t) => n + t.tasksTotal, 0),
    };
  }
}

/** Storm's link form: the viewer's `/api/v1/log` with `file=<topologyId>/<port>/worker.log`. */
export function workerLogLink(logviewer: string, topology: string, port: number): string {
  return `${logviewer}/api/v1/log?file=${encodeURIComponent(`${topology}/${port}/worker.log`)}`;
}

/** Counted, never laid out: a topology too large to lay out is listed too. */
function summarize(record: TopologyRecord | UnreadableTopology, assignment: ClusterAssignment | undefined, now: number): TopologySummary {
  const workersTotal = assignment?.workers.length ?? 0;
  if (isUnreadable(record)) {
    const executors = assignment?.workers.flatMap((w) => w.executors) ?? [];
    return {
      id: record.id,
      encodedId: encodeURIComponent(record.id),
      name: record.name,
      status: 'FAILED',
      problem: record.problem,
      workerRestarts: 0,
      uptime: prettyUptime(0),
      uptimeSeconds: 0,
      tasksTotal: executors.reduce((n, e) => n + e.tasks.length, 0),
      executorsTotal: executors.length,
      workersTotal,
      requestedWorkers: workersTotal,
    };
  }
  const size = topologySize(record.definition, record.overrides, record.parallelism);
  const summary: TopologySummary = {
    id: record.id,
    encodedId: encodeURIComponent(record.id),
    name: record.name,
    status: stormStatus(record.status),
    workerRestarts: 0,
    uptime: prettyUptime(seconds(now - record.submittedAt)),
    uptimeSeconds: seconds(now - record.submittedAt),
    tasksTotal: size.tasks,
    executorsTotal: size.executors,
    workersTotal,
    requestedWorkers: requestedWorkers(record),
  };
  if (record.failure !== undefined) summary.problem = record.failure;
  if (record.transition !== undefined) summary.transitionSecondsLeft = Math.max(0, seconds(record.transition.at - now));
  return summary;
}

interface WorkerStates {
  beats: Map<string, WorkerHeartbeat>;
  failures: Map<string, WorkerFailure>;
}

/** Adds what the workers' heartbeats and start failures say: restarts, and a crash loop. */
function withWorkerHealth(summary: TopologySummary, assignment: ClusterAssignment | undefined, states: WorkerStates, now: number): TopologySummary {
  let restarts = 0;
  const problems: string[] = [];
  for (const w of assignment?.workers ?? []) {
    const beat = states.beats.get(w.id);
    restarts += beat?.restarts ?? 0;
    const problem = workerHealth(w.id, beat, states.failures, now);
    if (problem !== undefined) problems.push(`worker ${w.host}:${w.port} ${problem}`);
  }
  const out = { ...summary, workerRestarts: restarts };
  if (problems.length > 0) out.workerProblem = problems.length === 1 ? problems[0] : `${problems[0]} (and ${problems.length - 1} more)`;
  return out;
}

function stormStatus(status: TopologyStatus): string {
  return status.toUpperCase();
}

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 1000));
}

function rank(order: string[], component: string): number {
  const i = order.indexOf(component);
  return i === -1 ? order.length : i;
}
