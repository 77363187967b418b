import { ACKER_COMPONENT } from '@topo/topology-dsl';
import type { ExecutorSpec } from '@topo/runtime';
import { slotWorkerId, type ClusterWorker } from '../state/cluster-assignment.js';
import { SlotPool, type Slot, type SupervisorSlots } from './slot-pool.js';

/** One topology to place in a scheduling round. */
export interface TopologyDemand {
  executors: readonly ExecutorSpec[];
  /** Workers wanted (`topology.workers`). */
  workers: number;
  /** Its workers as currently assigned. */
  current: readonly ClusterWorker[];
  /** Ids of current workers that must move (silent past `nimbus.task.timeout.secs`). */
  failed: ReadonlySet<string>;
  /**
   * Deal its slots anew, as for a new submission (Storm's rebalance), instead of keeping
   * every healthy worker where it is: a current worker stays only in a slot the new deal
   * picks, so a topology spreads onto supervisors that joined or came back.
   */
  redeal?: boolean;
}

/**
 * Storm's even scheduler with kept assignments: the topology gets min(workers wanted,
 * executors, slots it can have) workers; executors are split over them in sizes that
 * differ by at most one; a current worker whose executors are unchanged, whose slot is
 * still there, and whose size fits that split keeps running untouched, and only the
 * rest of the executors are dealt (ackers first, round-robin) over new workers spread
 * across supervisors. With `redeal`, the slots are picked first, spread evenly as for a
 * new topology (its current slots preferred among equals), and only the current workers
 * in picked slots may stay. Slots of other topologies must already be claimed in `pool`.
 */
export function scheduleTopology(demand: TopologyDemand, pool: SlotPool): ClusterWorker[] {
  const executors = demand.executors;
  // Slots this topology may use: free ones, plus those of its own workers that still exist.
  const holdable = demand.current.filter((w) => pool.hostOf(w.supervisor) === w.host && pool.claim(w.supervisor, w.port));
  const total = Math.min(demand.workers, executors.length, pool.size + holdable.length);
  if (total === 0) {
    release(holdable, pool);
    return [];
  }
  const avoid = new Set(demand.current.filter((w) => demand.failed.has(w.id)).map(slotKey));
  let dealt: Slot[] | undefined;
  let candidates = holdable;
  if (demand.redeal === true) {
    release(holdable, pool);
    dealt = pool.take(total, new Map(), avoid, new Set(holdable.map(slotKey)));
    const picked = new Set(dealt.map(slotKey));
    candidates = holdable.filter((w) => picked.has(slotKey(w)));
  }

  const { kept, dropped } = keepFitting(candidates, demand, total);
  let slots: Slot[];
  if (dealt === undefined) {
    release(dropped, pool);
    const load = new Map<string, number>();
    for (const w of kept) load.set(w.supervisor, (load.get(w.supervisor) ?? 0) + 1);
    slots = pool.take(total - kept.length, load, avoid);
  } else {
    const keptSlots = new Set(kept.map(slotKey));
    slots = dealt.filter((s) => !keptSlots.has(slotKey(s)));
  }
  const fresh: ClusterWorker[] = slots.map((s) => ({ id: slotWorkerId(s.supervisor, s.port), supervisor: s.supervisor, host: s.host, port: s.port, executors: [] }));

  const keptExecutors = new Set(kept.flatMap((w) => w.executors.map(executorKey)));
  const rest = executors.filter((e) => !keptExecutors.has(executorKey(e)));
  const ordered = [...rest.filter((e) => e.component === ACKER_COMPONENT), ...rest.filter((e) => e.component !== ACKER_COMPONENT)];
  ordered.forEach((e, i) => fresh[i % fresh.length].executors.push({ component: e.component, tasks: [...e.tasks] }));
  return [...kept, ...fresh].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Of the current workers in `candidates`, those that may keep running: not failed, their
 * executors all still wanted (and not held by another), and their size one the split
 * into `total` workers still has room for.
 */
function keepFitting(candidates: readonly ClusterWorker[], demand: TopologyDemand, total: number): { kept: ClusterWorker[]; dropped: ClusterWorker[] } {
  const wanted = new Set(demand.executors.map(executorKey));
  const base = Math.floor(demand.executors.length / total);
  let bigLeft = demand.executors.length % total;
  let smallLeft = total - bigLeft;
  const kept: ClusterWorker[] = [];
  const dropped: ClusterWorker[] = [];
  const keptExecutors = new Set<string>();
  for (const worker of [...candidates].sort((a, b) => (a.id < b.id ? -1 : 1))) {
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
  return { kept, dropped };
}

function slotKey(slot: { supervisor: string; port: number }): string {
  return `${slot.supervisor}:${slot.port}`;
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
 * so one topology's growth never evicts another's healthy workers. The slots of `held`
 * (workers of topologies the leader leaves as they are) are never given to another.
 */
export function scheduleCluster(demands: ReadonlyMap<string, TopologyDemand>, supervisors: readonly SupervisorSlots[], held: readonly ClusterWorker[] = []): Map<string, ClusterWorker[]> {
  const pool = new SlotPool(supervisors);
  for (const w of held) pool.claim(w.supervisor, w.port);
  const reserved = new Map<string, ClusterWorker[]>();
  for (const [id, demand] of demands) reserved.set(id, demand.current.filter((w) => pool.hostOf(w.supervisor) === w.host && pool.claim(w.supervisor, w.port)));
  const placed = new Map<string, ClusterWorker[]>();
  for (const [id, demand] of demands) {
    release(reserved.get(id)!, pool);
    placed.set(id, scheduleTopology(demand, pool));
  }
  return placed;
}
