import type { ExecutorSpec, Logger } from '@topo/runtime';
import type { TopologyLimits } from '@topo/topology-dsl';
import { clusterLimits, secondsToMs, type ClusterConfig } from './cluster-config.js';
import { HeartbeatTracker } from './heartbeat-tracker.js';
import { scheduleCluster, type TopologyDemand } from './scheduler/even-cluster-scheduler.js';
import type { SupervisorSlots } from './scheduler/slot-pool.js';
import type { ClusterAssignment, ClusterWorker } from './state/cluster-assignment.js';
import type { ClusterState } from './state/cluster-state.js';
import type { SupervisorHeartbeat } from './state/supervisor-heartbeat.js';
import { requestedWorkers, type TopologyRecord } from './state/topology-record.js';
import { runProblem } from './run-problem.js';
import { topologyExecutors } from './topology-layout.js';

/** What one pass did, for the log and for tests. */
export interface PassOutcome {
  /** Topologies whose assignment was written. */
  reassigned: string[];
  /** Topologies removed after their kill wait. */
  removed: string[];
  /** Milliseconds until the next pending transition is due, if any. */
  nextTransitionInMs: number | undefined;
}

/**
 * The leader's convergence pass: finishes kills and rebalances whose wait is over, finds
 * supervisors and workers that went silent, schedules every topology over the live
 * slots, and writes the assignments that changed. It reads everything from Redis each
 * time, so a pass after a restart, a failover or a lost message puts things right.
 */
export class Reconciler {
  private readonly tracker = new HeartbeatTracker();
  /** Silent workers already reported, so a worker that can only go back to its own slot is not reported every pass. */
  private readonly reportedSilent = new Set<string>();

  /** Nimbus's size limits, which a stored topology must be within to be laid out. */
  private readonly ceilings: TopologyLimits;

  constructor(
    private readonly state: ClusterState,
    private readonly config: ClusterConfig,
    private readonly logger: Logger,
  ) {
    this.ceilings = clusterLimits(config);
  }

  /** Starts judging silence afresh: after taking the lead, or after Redis was unreachable. */
  forgetObservations(): void {
    this.tracker.reset();
  }

  async pass(now = Date.now(), clock = performance.now()): Promise<PassOutcome> {
    const outcome: PassOutcome = { reassigned: [], removed: [], nextTransitionInMs: undefined };
    const { records, rebalanced } = await this.finishTransitions(await this.state.topologies(), now, outcome);
    const supervisors = await this.liveSupervisors(clock);
    const current = new Map((await this.state.assignments()).map((a) => [a.topology, a]));
    const seen = new Set<string>(supervisors.map((s) => `supervisor:${s.id}`));

    const demands = new Map<string, TopologyDemand>();
    const runnable: TopologyRecord[] = [];
    for (const record of [...records].sort((a, b) => a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : 1))) {
      const layout = await this.layout(record);
      if (layout === undefined) continue;
      const assigned = current.get(record.id)?.workers ?? [];
      runnable.push(record);
      demands.set(record.id, {
        executors: layout,
        workers: requestedWorkers(record),
        current: assigned,
        failed: await this.silentWorkers(record, assigned, clock, seen),
        redeal: rebalanced.has(record.id),
      });
    }
    // Topologies left as they are (failed, unreadable, or being killed without a layout) keep their slots.
    const held = [...current.values()].filter((a) => !demands.has(a.topology)).flatMap((a) => a.workers);
    const placed = scheduleCluster(demands, supervisors.map(toSlots), held);
    for (const record of records) {
      const previous = current.get(record.id);
      const scheduled = placed.get(record.id);
      // Left as it is, except that a kill still turns the spouts off.
      if (scheduled === undefined && (previous === undefined || record.status !== 'killed')) continue;
      const workers = scheduled ?? previous!.workers;
      const active = record.status === 'active';
      if (previous !== undefined && previous.active === active && sameWorkers(previous.workers, workers)) continue;
      const next: ClusterAssignment = { topology: record.id, name: record.name, version: (previous?.version ?? 0) + 1, active, workers };
      await this.state.writeAssignment(next);
      outcome.reassigned.push(record.id);
      this.logChange(record, previous, next);
    }
    for (const record of runnable) {
      if (rebalanced.has(record.id)) await this.completeRebalance(record, now);
      await this.state.pruneWorkerHeartbeats(record.id, new Set((placed.get(record.id) ?? []).map((w) => w.id)));
    }
    this.tracker.retain(seen);
    if (outcome.reassigned.length > 0 || outcome.removed.length > 0) await this.state.wake();
    return outcome;
  }

  /**
   * Completes kills whose wait is over, and applies due rebalances to the records this
   * pass schedules (`rebalanced`: to be dealt anew). The stored record keeps its
   * transition until the new assignment is written, so a leader that dies in between
   * leaves the rebalance for the next one to redo.
   */
  private async finishTransitions(records: TopologyRecord[], now: number, outcome: PassOutcome): Promise<{ records: TopologyRecord[]; rebalanced: Set<string> }> {
    const kept: TopologyRecord[] = [];
    const rebalanced = new Set<string>();
    for (const record of records) {
      const transition = record.transition;
      if (transition === undefined || transition.at > now) {
        if (transition !== undefined) outcome.nextTransitionInMs = Math.min(outcome.nextTransitionInMs ?? Infinity, transition.at - now);
        kept.push(record);
      } else if (transition.kind === 'kill') {
        await this.state.removeTopology(record);
        outcome.removed.push(record.id);
        this.logger.info(`topology ${record.name} (${record.id}) killed`);
      } else {
        kept.push(applyRebalance(structuredClone(record)));
        rebalanced.add(record.id);
      }
    }
    return { records: kept, rebalanced };
  }

  private async completeRebalance(record: TopologyRecord, now: number): Promise<void> {
    const updated = await this.state.updateTopology(record.id, (r) => (r.transition?.kind === 'rebalance' && r.transition.at <= now ? applyRebalance(r) : undefined));
    if (updated !== undefined) this.logger.info(`topology ${record.name} (${record.id}) rebalanced to ${requestedWorkers(updated)} workers`);
  }

  /**
   * The executors to schedule, or undefined when the leader must leave the topology as
   * it is: it failed before, it is being killed and cannot be laid out, or it cannot be
   * run now, in which case it is marked failed with the reason (once, with one log
   * line). One stored topology the leader cannot run never stops it serving the others.
   */
  private async layout(record: TopologyRecord): Promise<ExecutorSpec[] | undefined> {
    if (record.status === 'failed') return undefined;
    let problem = runProblem(record, this.ceilings);
    let executors: ExecutorSpec[] | undefined;
    if (problem === undefined) {
      try {
        executors = topologyExecutors(record);
      } catch (error) {
        problem = `its tasks cannot be laid out: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (problem === undefined || record.status === 'killed') return executors;
    const failed = await this.state.updateTopology(record.id, (r) => {
      if (r.status === 'failed' || r.status === 'killed') return undefined;
      const { transition: _dropped, ...rest } = r;
      return { ...rest, status: 'failed', failure: problem };
    });
    if (failed?.status === 'failed') this.logger.error(`topology ${record.name} (${record.id}) failed: ${problem}; it stays as it is until killed`);
    return undefined;
  }

  private async liveSupervisors(clock: number): Promise<SupervisorHeartbeat[]> {
    const timeout = secondsToMs(this.config['nimbus.supervisor.timeout.secs']);
    const live: SupervisorHeartbeat[] = [];
    for (const s of await this.state.supervisors()) {
      const silence = this.tracker.silence(`supervisor:${s.id}`, s.time, clock);
      if (silence <= timeout) {
        live.push(s);
        continue;
      }
      this.logger.warn(`supervisor ${s.id} (${s.host}) silent for ${Math.round(silence / 1000)} s; moving its workers elsewhere`);
      await this.state.removeSupervisor(s.id);
    }
    return live;
  }

  /**
   * Workers silent past `nimbus.task.timeout.secs`, once they have had
   * `nimbus.task.launch.secs` since this leader first saw them assigned.
   */
  private async silentWorkers(record: TopologyRecord, assigned: readonly ClusterWorker[], clock: number, seen: Set<string>): Promise<Set<string>> {
    const failed = new Set<string>();
    if (assigned.length === 0) return failed;
    const beats = new Map((await this.state.workerHeartbeats(record.id)).map((b) => [b.worker, b]));
    const timeout = secondsToMs(this.config['nimbus.task.timeout.secs']);
    const launch = secondsToMs(this.config['nimbus.task.launch.secs']);
    for (const worker of assigned) {
      const placement = `assigned:${record.id}:${worker.id}:${JSON.stringify(worker.executors)}`;
      const beat = `worker:${record.id}:${worker.id}`;
      seen.add(placement).add(beat);
      const sinceAssigned = this.tracker.silence(placement, 0, clock);
      const silence = this.tracker.silence(beat, beats.get(worker.id)?.time ?? 0, clock);
      if (sinceAssigned > launch && silence > timeout) {
        if (!this.reportedSilent.has(beat)) this.logger.warn(`worker ${worker.id} of ${record.name} silent for ${Math.round(silence / 1000)} s; moving its executors`);
        this.reportedSilent.add(beat);
        failed.add(worker.id);
      } else {
        this.reportedSilent.delete(beat);
      }
    }
    return failed;
  }

  private logChange(record: TopologyRecord, previous: ClusterAssignment | undefined, next: ClusterAssignment): void {
    const where = next.workers.map((w) => `${w.id}@${w.host}:${w.port}(${w.executors.length})`).join(', ');
    const state = next.active ? 'active' : 'inactive';
    if (next.workers.length === 0) {
      this.logger.warn(`topology ${record.name} (${record.id}) has no free slot to run in`);
    } else {
      this.logger.info(`${previous === undefined ? 'assigned' : 'reassigned'} ${record.name} (${record.id}, v${next.version}, ${state}): ${where}`);
    }
  }
}

/** The record as a due rebalance leaves it: the new worker count and parallelism, the status it resumes. */
function applyRebalance(record: TopologyRecord): TopologyRecord {
  if (record.transition?.kind !== 'rebalance') return record;
  const { workers, parallelism, resume } = record.transition;
  if (workers !== undefined) record.overrides['topology.workers'] = workers;
  Object.assign(record.parallelism, parallelism ?? {});
  record.status = resume;
  delete record.transition;
  return record;
}

function toSlots(s: SupervisorHeartbeat): SupervisorSlots {
  return { id: s.id, host: s.host, ports: s.ports };
}

function sameWorkers(a: readonly ClusterWorker[], b: readonly ClusterWorker[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
