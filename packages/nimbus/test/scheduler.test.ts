import { describe, expect, it } from 'vitest';
import type { ExecutorSpec } from '@topo/runtime';
import { scheduleCluster, scheduleTopology, SlotPool, type ClusterWorker, type SupervisorSlots, type TopologyDemand } from '@topo/nimbus';

function executors(components: Record<string, number>): ExecutorSpec[] {
  let task = 1;
  return Object.entries(components).flatMap(([component, n]) => Array.from({ length: n }, () => ({ component, tasks: [task++] })));
}

function supervisors(n: number, slots: number): SupervisorSlots[] {
  return Array.from({ length: n }, (_, i) => ({ id: `s${i + 1}`, host: `10.0.0.${i + 1}`, ports: Array.from({ length: slots }, (_, p) => 6700 + p) }));
}

function demand(execs: ExecutorSpec[], workers: number, current: ClusterWorker[] = [], failed: string[] = []): TopologyDemand {
  return { executors: execs, workers, current, failed: new Set(failed) };
}

function allTasks(workers: ClusterWorker[]): number[] {
  return workers.flatMap((w) => w.executors.flatMap((e) => e.tasks)).sort((a, b) => a - b);
}

describe('the even scheduler over supervisors', () => {
  const execs = executors({ __acker: 2, spout: 2, bolt: 6 });

  it('spreads workers over supervisors and executors evenly over workers, ackers first', () => {
    const workers = scheduleTopology(demand(execs, 4), new SlotPool(supervisors(2, 4)));
    expect(workers).toHaveLength(4);
    expect(workers.filter((w) => w.supervisor === 's1')).toHaveLength(2);
    expect(workers.filter((w) => w.supervisor === 's2')).toHaveLength(2);
    expect(workers.map((w) => w.executors.length).sort()).toEqual([2, 2, 3, 3]);
    expect(allTasks(workers)).toEqual(execs.flatMap((e) => e.tasks));
    expect(workers.filter((w) => w.executors.some((e) => e.component === '__acker'))).toHaveLength(2);
    for (const w of workers) expect(w.id).toBe(`${w.supervisor}-${w.port}`);
    for (const w of workers) expect(w.host).toBe(w.supervisor === 's1' ? '10.0.0.1' : '10.0.0.2');
  });

  it('uses no more workers than slots or executors', () => {
    expect(scheduleTopology(demand(execs, 8), new SlotPool(supervisors(1, 3)))).toHaveLength(3);
    expect(scheduleTopology(demand(executors({ spout: 1, bolt: 1 }), 8), new SlotPool(supervisors(2, 4)))).toHaveLength(2);
    expect(scheduleTopology(demand(execs, 2), new SlotPool([]))).toEqual([]);
  });

  it('changes nothing when nothing changed', () => {
    const sups = supervisors(2, 4);
    const first = scheduleTopology(demand(execs, 4), new SlotPool(sups));
    expect(scheduleTopology(demand(execs, 4, first), new SlotPool(sups))).toEqual(first);
  });

  it('moves only the work of a lost supervisor, keeping healthy workers untouched', () => {
    const first = scheduleTopology(demand(execs, 4), new SlotPool(supervisors(3, 2)));
    const lost = first[0].supervisor;
    const remaining = supervisors(3, 2).filter((s) => s.id !== lost);
    const second = scheduleTopology(demand(execs, 4, first), new SlotPool(remaining));
    expect(second).toHaveLength(4);
    expect(second.every((w) => w.supervisor !== lost)).toBe(true);
    for (const w of first.filter((w) => w.supervisor !== lost)) expect(second).toContainEqual(w);
    expect(allTasks(second)).toEqual(allTasks(first));
  });

  it('moves a failed worker to another slot and keeps the rest', () => {
    const sups = supervisors(2, 4);
    const first = scheduleTopology(demand(execs, 2), new SlotPool(sups));
    const failed = first[1];
    const second = scheduleTopology(demand(execs, 2, first, [failed.id]), new SlotPool(sups));
    expect(second).toContainEqual(first[0]);
    const moved = second.find((w) => w.id !== first[0].id)!;
    expect(moved.port === failed.port && moved.supervisor === failed.supervisor).toBe(false);
    expect(moved.executors).toEqual(failed.executors);
  });

  it('rebalances from one worker to two and back over the whole topology', () => {
    const sups = supervisors(2, 2);
    const one = scheduleTopology(demand(execs, 1), new SlotPool(sups));
    const two = scheduleTopology(demand(execs, 2, one), new SlotPool(sups));
    expect(two).toHaveLength(2);
    expect(new Set(two.map((w) => w.supervisor)).size).toBe(2);
    expect(two.map((w) => w.executors.length)).toEqual([5, 5]);
    const back = scheduleTopology(demand(execs, 1, two), new SlotPool(sups));
    expect(back).toHaveLength(1);
    expect(allTasks(back)).toEqual(allTasks(one));
  });

  it('regroups tasks after a parallelism change, every task assigned exactly once', () => {
    const sups = supervisors(2, 2);
    const before = executors({ a: 2, b: 2 });
    const first = scheduleTopology(demand(before, 2), new SlotPool(sups));
    const after: ExecutorSpec[] = [before[0], before[1], { component: 'b', tasks: [3, 4] }];
    const second = scheduleTopology(demand(after, 2, first), new SlotPool(sups));
    expect(allTasks(second)).toEqual([1, 2, 3, 4]);
    expect(second.flatMap((w) => w.executors).filter((e) => e.component === 'b')).toEqual([{ component: 'b', tasks: [3, 4] }]);
    expect(second.map((w) => w.executors.length).sort()).toEqual([1, 2]);
  });

  it('never evicts another topology: each keeps its slots, newcomers take what is free', () => {
    const sups = supervisors(2, 2);
    const older = scheduleTopology(demand(execs, 2), new SlotPool(sups));
    const placed = scheduleCluster(
      new Map([
        ['old', demand(execs, 2, older)],
        ['new', demand(executors({ spout: 1, bolt: 3 }), 4)],
      ]),
      sups,
    );
    expect(placed.get('old')).toEqual(older);
    const fresh = placed.get('new')!;
    expect(fresh).toHaveLength(2);
    const used = new Set(older.map((w) => `${w.supervisor}:${w.port}`));
    for (const w of fresh) expect(used.has(`${w.supervisor}:${w.port}`)).toBe(false);
  });

  it('on a rebalance, deals anew over every supervisor, keeping a worker only where the new deal puts it', () => {
    // Both workers ended up on s1 while s2 was away; s2 is back with its slots free.
    const onOne = scheduleTopology(demand(execs, 2), new SlotPool(supervisors(1, 2)));
    expect(onOne.map((w) => w.supervisor)).toEqual(['s1', 's1']);
    const sups = supervisors(2, 2);
    expect(scheduleTopology(demand(execs, 2, onOne), new SlotPool(sups))).toEqual(onOne);

    const spread = scheduleTopology({ ...demand(execs, 2, onOne), redeal: true }, new SlotPool(sups));
    expect(spread.map((w) => w.supervisor)).toEqual(['s1', 's2']);
    expect(spread).toContainEqual(onOne[0]);
    expect(spread.find((w) => w.supervisor === 's2')!.executors).toEqual(onOne[1].executors);
    expect(allTasks(spread)).toEqual(allTasks(onOne));
    // Dealing again changes nothing: the deal is already even.
    expect(scheduleTopology({ ...demand(execs, 2, spread), redeal: true }, new SlotPool(sups))).toEqual(spread);
  });

  it('never gives away the slots of a topology left as it is', () => {
    const sups = supervisors(1, 2);
    const frozen = scheduleTopology(demand(execs, 1), new SlotPool(sups));
    const placed = scheduleCluster(new Map([['new', demand(execs, 2)]]), sups, frozen);
    expect(placed.get('new')!.map((w) => w.port)).toEqual([6701]);
  });

  it('drops a worker whose supervisor now advertises another address', () => {
    const first = scheduleTopology(demand(execs, 1), new SlotPool(supervisors(1, 1)));
    const moved = [{ id: 's1', host: '10.9.9.9', ports: [6700] }];
    const second = scheduleTopology(demand(execs, 1, first), new SlotPool(moved));
    expect(second[0].host).toBe('10.9.9.9');
  });
});
