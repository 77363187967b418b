import { describe, expect, it } from 'vitest';
import { build } from '@topo/topology-dsl';
import { Worker, computeTaskLayout, scheduleEvenly, type Assignment, silentLogger } from '@topo/runtime';
import { Pair } from './support/pair-topology.js';

function worker(assignment: Assignment, id: string): Worker {
  return new Worker(build(Pair), { logger: silentLogger(), cluster: { workerId: id, assignment, secret: Buffer.alloc(32) } });
}

describe('Worker.reassign', () => {
  const compiled = build(Pair);
  const layout = computeTaskLayout(compiled.definition, 1);
  const first = scheduleEvenly('Pair', layout.executors, ['a', 'b']);

  it('adopts an assignment that only moves other workers\' tasks', () => {
    const w = worker(first, 'a');
    // b's executors move to a new worker c; a keeps exactly its own.
    const moved: Assignment = { topology: 'Pair', workers: first.workers.map((x) => (x.id === 'b' ? { ...x, id: 'c' } : x)) };
    expect(() => w.reassign(moved)).not.toThrow();
  });

  it('refuses an assignment that moves its own tasks, naming the task', () => {
    const w = worker(first, 'a');
    const mine = first.workers.find((x) => x.id === 'a')!;
    const stolen = mine.executors[0];
    const moved: Assignment = {
      topology: 'Pair',
      workers: [
        { id: 'a', executors: mine.executors.slice(1) },
        { id: 'b', executors: [...first.workers.find((x) => x.id === 'b')!.executors, stolen] },
      ],
    };
    expect(() => w.reassign(moved)).toThrow(new RegExp(`moves task ${stolen.tasks[0]} out of worker a; restart the worker instead`));
  });
});
