import type { Logger } from '@topo/runtime';
import { secondsToMs, type ClusterConfig } from './cluster-config.js';
import { HeartbeatTracker } from './heartbeat-tracker.js';
import { scheduleCluster, type TopologyDemand } from './scheduler/even-cluster-scheduler.js';
import type { SupervisorSlots } from './scheduler/slot-pool.js';
import type { ClusterAssignment, ClusterWorker } from './state/cluster-assignment.js';
import type { ClusterState } from './state/cluster-state.js';
import type { SupervisorHeartbeat } from './state/supervisor-heartbeat.js';
import { requestedWorkers, type TopologyRecord } from './state/topology-record.js';
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

  constructor(
    private readonly state: ClusterState,
    private readonly config: ClusterConfig,
    private readonly logger: Logger,
  ) {}

  /** Starts judging silence afresh: after taking the lead, or after Redis was unreachable. */
  forgetObservations(): void {
    this.tracker.reset();
  }

  async pass(now = Date.now(), clock = performance.now()): Promise<PassOutcome> {
    const outcome: PassOutcome = { reassigned: [], removed: [], nextTransitionInMs: undefined };
    const records = await this.finishTransitions(await this.state.topologies(), now, outcome);
    const supervisors = await this.liveSupervisors(clock);
    const current = new Map((await this.state.assignments()).map((a) => [a.topology, a]));
    const seen = new Set<string>(supervisors.map((s) => `supervisor:${s.id}`));

    const demands = new Map<string, TopologyDemand>();
    for (const record of [...records].sort((a, b) => a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : 1))) {
      const assigned = current.get(record.id)?.workers ?? [];
      demands.set(record.id, {
        executors: topologyExecutors(record),
        workers: requestedWorkers(record),
        current: assigned,
        failed: await this.silentWorkers(record, assigned, clock, seen),
      });
    }
    const placed = scheduleCluster(demands, supervisors.map(toSlots));
    for (const record of records) {
      const previous = current.get(record.id);
      const workers = placed.get(record.id) ?? [];
      const active = record.status === 'active';
      if (previous !== undefined && previous.active === active && sameWorkers(previous.workers, workers)) continue;
      const next: ClusterAssignment = { topology: record.id, name: record.name, version: (previous?.version ?? 0) + 1, active, workers };
      await this.state.writeAssignment(next);
      outcome.reassigned.push(record.id);
      this.logChange(record, previous, next);
    }
    for (const record of records) {
      await this.state.pruneWorkerHeartbeats(record.id, new Set((placed.get(record.id) ?? []).map((w) => w.id)));
    }
    this.tracker.retain(seen);
    if (outcome.reassigned.length > 0 || outcome.removed.length > 0) await this.state.wake();
    return outcome;
  }

  /** Completes kills and rebalances whose wait is over; returns the topologies still stored. */
  private async finishTransitions(records: TopologyRecord[], now: number, outcome: PassOutcome): Promise<TopologyRecord[]> {
    const kept: TopologyRecord[] = [];
    for (const record of records) {
      const transition = record.transition;
      if (transition === undefined || transition.at > now) {
        if (transition !== undefined) outcome.nextTransitionInMs = Math.min(outcome.nextTransitionInMs ?? Infinity, transition.at - now);
        kept.push(record);
        continue;
      }
      if (transition.kind === 'kill') {
        await this.state.removeTopology(record);
        outcome.removed.push(record.id);
        this.logger({ level: 'info', message: `topology ${record.name} (${record.id}) killed` });
        continue;
      }
      const updated = await this.state.updateTopology(record.id, (r) => {
        if (r.transition?.kind !== 'rebalance' || r.transition.at > now) return undefined;
        const { workers, parallelism, resume } = r.transition;
        if (workers !== undefined) r.overrides['topology.workers'] = workers;
        Object.assign(r.parallelism, parallelism ?? {});
        r.status = resume;
        delete r.transition;
        return r;
      });
      if (updated !== undefined) {
        this.logger({ level: 'info', message: `topology ${record.name} (${record.id}) rebalanced to ${requestedWorkers(updated)} workers` });
        kept.push(updated);
      }
    }
    return kept;
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
      this.logger({ level: 'warn', message: `supervisor ${s.id} (${s.host}) silent for ${Math.round(silence / 1000)} s; moving its workers elsewhere` });
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
        if (!this.reportedSilent.has(beat)) this.logger({ level: 'warn', message: `worker ${worker.id} of ${record.name} silent for ${Math.round(silence / 1000)} s; moving its executors` });
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
      this.logger({ level: 'warn', message: `topology ${record.name} (${record.id}) has no free slot to run in` });
    } else {
      this.logger({ level: 'info', message: `${previous === undefined ? 'assigned' : 'reassigned'} ${record.name} (${record.id}, v${next.version}, ${state}): ${where}` });
    }
  }
}

function toSlots(s: SupervisorHeartbeat): SupervisorSlots {
  return { id: s.id, host: s.host, ports: s.ports };
}

function sameWorkers(a: readonly ClusterWorker[], b: readonly ClusterWorker[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
