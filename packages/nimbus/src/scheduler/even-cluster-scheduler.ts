import { ACKER_COMPONENT } from '@topo/topology-dsl';
import type { ExecutorSpec } from '@topo/runtime';
import { slotWorkerId, type ClusterWorker } from '../state/cluster-assignment.js';
import { SlotPool, type SupervisorSlots } from './slot-pool.js';

/** One topology to place in a scheduling round. */
export interface TopologyDemand {
  executors: readonly ExecutorSpec[];
  /** Workers wanted (`topology.workers`). */
  workers: number;
  /** Its workers as currently assigned. */
  current: readonly ClusterWorker[];
  /** Ids of current workers that must move (silent past `nimbus.task.timeout.secs`). */
  failed: ReadonlySet<string>;
}

/**
 * Storm's even scheduler with kept assignments: the topology gets min(workers wanted,
 * executors, slots it can have) workers; executors are split over them in sizes that
 * differ by at most one; a current worker whose executors are unchanged, whose slot is
 * still there, and whose size fits that split keeps running untouched, and only the
 * rest of the executors are dealt (ackers first, round-robin) over new workers spread
 * across supervisors. Slots of other topologies must already be claimed in `pool`.
 */
export function scheduleTopology(demand: TopologyDemand, pool: SlotPool): ClusterWorker[] {
  const executors = demand.executors;
  const wanted = new Set(executors.map(executorKey));
  // Slots this topology may use: free ones, plus those of its own workers that still exist.
  const holdable = demand.current.filter((w) => pool.hostOf(w.supervisor) === w.host && pool.claim(w.supervisor, w.port));
  const total = Math.min(demand.workers, executors.length, pool.size + holdable.length);
  if (total === 0) {
    release(holdable, pool);
    return [];
  }
  const base = Math.floor(executors.length / total);
  let bigLeft = executors.length % total;
  let smallLeft = total - bigLeft;

  const kept: ClusterWorker[] = [];
  const keptExecutors = new Set<string>();
  const dropped: ClusterWorker[] = [];
  for (const worker of [...holdable].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const size = worker.executors.length;
    const unchanged = !demand.failed.has(worker.id) && worker.executors.every((e) => wanted.has(executorKey(e)) && !keptExecutors.has(executorKey(e)));
    const fits = size === base + 1 && bigLeft > 0 ? 'big' : size === base && smallLeft > 0 ? 'small' : undefined;
    if (!unchanged || fits === undefined) {
      dropped.push(worker);
      continue;
    }
    if (fits === 'big') bigLeft--;
    else smallLeft--;
    kept.push(worker);
    for (const e of worker.executors) keptExecutors.add(executorKey(e));
  }
  release(dropped, pool);

  const load = new Map<string, number>();
  for (const w of kept) load.set(w.supervisor, (load.get(w.supervisor) ?? 0) + 1);
  const avoid = new Set([...demand.current].filter((w) => demand.failed.has(w.id)).map((w) => `${w.supervisor}:${w.port}`));
  const slots = pool.take(total - kept.length, load, avoid);
  const fresh: ClusterWorker[] = slots.map((s) => ({ id: slotWorkerId(s.supervisor, s.port), supervisor: s.supervisor, host: s.host, port: s.port, executors: [] }));

  const rest = executors.filter((e) => !keptExecutors.has(executorKey(e)));
  const ordered = [...rest.filter((e) => e.component === ACKER_COMPONENT), ...rest.filter((e) => e.component !== ACKER_COMPONENT)];
  ordered.forEach((e, i) => fresh[i % fresh.length].executors.push({ component: e.component, tasks: [...e.tasks] }));
  return [...kept, ...fresh].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function release(workers: readonly ClusterWorker[], pool: SlotPool): void {
  for (const w of workers) pool.release(w.supervisor, w.port);
}

function executorKey(e: ExecutorSpec): string {
  return `${e.component}:${e.tasks.join(',')}`;
}

/**
 * One scheduling round over every topology, in the given order (oldest first): each
 * topology's current slots are reserved for it before any topology places new workers,
 * so one topology's growth never evicts another's healthy workers.
 */
export function scheduleCluster(demands: ReadonlyMap<string, TopologyDemand>, supervisors: readonly SupervisorSlots[]): Map<string, ClusterWorker[]> {
  const pool = new SlotPool(supervisors);
  const reserved = new Map<string, ClusterWorker[]>();
  for (const [id, demand] of demands) reserved.set(id, demand.current.filter((w) => pool.hostOf(w.supervisor) === w.host && pool.claim(w.supervisor, w.port)));
  const placed = new Map<string, ClusterWorker[]>();
  for (const [id, demand] of demands) {
    release(reserved.get(id)!, pool);
    placed.set(id, scheduleTopology(demand, pool));
  }
  return placed;
}
