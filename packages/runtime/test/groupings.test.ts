import { describe, expect, it } from 'vitest';
import { BasicBolt, Spout, Topology, TopoError, type ComponentSpec, type CustomGroupingFn, type InputLike, type Tuple } from '@topo/topology-dsl';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();

type SourceSpec = ComponentSpec<{ default: 'key' | 'seq' }>;

interface Routed {
  /** Per row (index = seq): the task ids `emit` returned. */
  returned: number[][];
  /** Per row: the sink tasks it arrived at, in arrival order. */
  arrived: number[][];
  sinkTasks: readonly number[];
}

/**
 * Emits one tuple `[key, seq]` per key from a `source` spout (its tasks split the rows)
 * to a `sink` bolt subscribed with `input(source)`, and reports where each row went.
 */
async function route(keys: readonly unknown[], input: (source: SourceSpec) => InputLike, options: { sinkP?: number; sourceP?: number } = {}): Promise<Routed> {
  const returned: number[][] = keys.map(() => []);
  const arrived: number[][] = keys.map(() => []);
  let sinkTasks: readonly number[] = [];
  let emitted = 0;
  let received = 0;

  class Source extends Spout {
    static outputs = ['key', 'seq'] as const;
    private next = 0;
    open(): void {
      this.next = this.context.taskIndex;
    }
    nextTuple(): void {
      if (this.next >= keys.length) return;
      const seq = this.next;
      this.next += this.context.componentTasks.length;
      returned[seq] = [...this.emit([keys[seq], seq])];
      emitted++;
    }
  }
  class Sink extends BasicBolt {
    prepare(): void {
      sinkTasks = this.context.componentTasks;
    }
    process(tuple: Tuple): void {
      arrived[tuple.get('seq') as number].push(this.context.taskId);
      received++;
    }
  }
  class Routing extends Topology {
    source = Source.spec({ p: options.sourceP ?? 1 });
    sink = Sink.spec({ p: options.sinkP ?? 4, input: input(this.source) });
  }

  await cluster().submit(Routing);
  await cluster().until(() => emitted === keys.length && received === returned.reduce((n, r) => n + r.length, 0), 'every row to arrive');
  expect(cluster().errorMessages()).toEqual([]);
  for (let seq = 0; seq < keys.length; seq++) {
    expect([...arrived[seq]].sort(), `row ${seq} arrived where emit said it went`).toEqual([...returned[seq]].sort());
  }
  return { returned, arrived, sinkTasks };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Rows per sink task, every task present. */
function loadPerTask(routed: Routed): Map<number, number> {
  const load = new Map(routed.sinkTasks.map((t) => [t, 0]));
  for (const tasks of routed.arrived) for (const t of tasks) load.set(t, load.get(t)! + 1);
  return load;
}

function expectEvenSplit(routed: Routed, rows: number, tolerance: number): void {
  const share = rows / routed.sinkTasks.length;
  for (const [task, load] of loadPerTask(routed)) {
    expect(Math.abs(load - share), `task ${task} got ${load} of ${rows} rows`).toBeLessThanOrEqual(share * tolerance);
  }
}

describe('groupings', () => {
  it.each([
    ['shuffle', (s: SourceSpec) => s.shuffle()],
    ['none', (s: SourceSpec) => s.none()],
    ['a bare component', (s: SourceSpec) => s],
    ['localOrShuffle in one worker', (s: SourceSpec) => s.localOrShuffle()],
  ])('%s sends each tuple to one task and splits evenly', async (_name, input) => {
    const rows = 4000;
    const routed = await route(range(rows), input, { sourceP: 2, sinkP: 4 });
    for (const tasks of routed.arrived) expect(tasks).toHaveLength(1);
    expectEvenSplit(routed, rows, 0.1);
  });

  it('fields sends equal values to the same task from every emitter and spreads distinct ones', async () => {
    // Keys of several types; keys built in different places from the same parts are equal.
    const variants = [(k: number) => `user-${k}`, (k: number) => k * 7919, (k: number) => ({ id: k, tags: ['a'] }), (k: number) => [k, 'x'], (k: number) => k + 0.5];
    const groups = 97;
    const rows = 3000;
    const groupOf = (seq: number) => `${seq % variants.length}:${seq % groups}`;
    const keys = range(rows).map((seq) => variants[seq % variants.length](seq % groups));

    const routed = await route(keys, (s) => s.fields('key'), { sourceP: 3, sinkP: 4 });

    const taskOfGroup = new Map<string, number>();
    for (let seq = 0; seq < rows; seq++) {
      expect(routed.arrived[seq]).toHaveLength(1);
      const group = groupOf(seq);
      const task = routed.arrived[seq][0];
      expect(taskOfGroup.get(group) ?? task, `key ${JSON.stringify(keys[seq])} went to two tasks`).toBe(task);
      taskOfGroup.set(group, task);
    }
    const groupsPerTask = new Map(routed.sinkTasks.map((t) => [t, 0]));
    for (const task of taskOfGroup.values()) groupsPerTask.set(task, groupsPerTask.get(task)! + 1);
    const share = taskOfGroup.size / routed.sinkTasks.length;
    for (const [task, count] of groupsPerTask) {
      expect(count, `task ${task} owns ${count} of ${taskOfGroup.size} distinct keys`).toBeGreaterThan(share * 0.6);
      expect(count).toBeLessThan(share * 1.4);
    }
  });

  it('all sends every tuple to every task', async () => {
    const routed = await route(range(300), (s) => s.all(), { sinkP: 3 });
    expect(routed.sinkTasks).toHaveLength(3);
    for (const tasks of routed.arrived) expect([...tasks].sort()).toEqual([...routed.sinkTasks].sort());
  });

  it('global sends every tuple to the lowest task id', async () => {
    const routed = await route(range(300), (s) => s.global(), { sourceP: 2, sinkP: 3 });
    const lowest = Math.min(...routed.sinkTasks);
    for (const tasks of routed.arrived) expect(tasks).toEqual([lowest]);
  });

  it('partialKey splits a hot key over two tasks and keeps the load balanced', async () => {
    // Half the rows carry one hot key; the rest are distinct cold keys.
    const rows = 4000;
    const routed = await route(range(rows).map((i) => (i % 2 === 0 ? 'hot' : `cold-${i}`)), (s) => s.partialKey('key'), { sinkP: 4 });

    const hotTasks = new Set<number>();
    routed.arrived.forEach((tasks, seq) => {
      expect(tasks).toHaveLength(1);
      if (seq % 2 === 0) hotTasks.add(tasks[0]);
    });
    expect(hotTasks.size, `the hot key reached ${[...hotTasks].join(', ')}`).toBe(2);
    // Fields grouping would put the whole hot half on one task.
    for (const [task, load] of loadPerTask(routed)) expect(load, `task ${task}`).toBeLessThan(rows * 0.4);
  });

  it('custom sends each tuple exactly where the function chose', async () => {
    const choose: CustomGroupingFn = (values, tasks) => {
      const seq = values[1] as number;
      return seq % 5 === 0 ? tasks.slice(0, 2) : [tasks[(seq * 3) % tasks.length]];
    };
    const routed = await route(range(500), (s) => s.custom(choose), { sinkP: 3 });
    const sorted = [...routed.sinkTasks].sort((a, b) => a - b);
    routed.arrived.forEach((tasks, seq) => {
      expect([...tasks].sort(), `row ${seq}`).toEqual([...choose([null, seq], sorted)].sort());
    });
  });

  it('a custom grouping that picks a task outside the subscriber is a clear error', async () => {
    const errors: unknown[] = [];
    let tried = false;
    class Source extends Spout {
      static outputs = ['n'] as const;
      nextTuple(): void {
        if (tried) return;
        tried = true;
        try {
          this.emit([1]);
        } catch (error) {
          errors.push(error);
        }
      }
    }
    class Sink extends BasicBolt {
      process(): void {}
    }
    class BadCustom extends Topology {
      source = Source.spec();
      sink = Sink.spec({ p: 2, input: this.source.custom(() => [999]) });
    }
    await cluster().submit(BadCustom);
    await cluster().until(() => tried, 'the emit');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TopoError);
    expect((errors[0] as Error).message).toMatch(/custom grouping sink<-source\.default chose task 999, which is not one of \[\d+, \d+\]/);
  });

  it('emit returns the target tasks of every subscriber', async () => {
    const returned: number[][] = [];
    const arrived = new Map<number, number[]>();
    class Source extends Spout {
      static outputs = ['seq'] as const;
      nextTuple(): void {
        if (returned.length < 200) returned.push([...this.emit([returned.length])]);
      }
    }
    class Sink extends BasicBolt {
      process(tuple: Tuple): void {
        const seq = tuple.get('seq') as number;
        arrived.set(seq, [...(arrived.get(seq) ?? []), this.context.taskId]);
      }
    }
    class Fanout extends Topology {
      source = Source.spec();
      shuffled = Sink.spec({ p: 2, input: this.source });
      everywhere = Sink.spec({ p: 3, input: this.source.all() });
      lowest = Sink.spec({ p: 2, input: this.source.global() });
    }
    const worker = await cluster().submit(Fanout);
    const tasksOf = (name: string) => worker.layout.componentTasks.get(name)!;
    await cluster().until(() => returned.length === 200 && [...arrived.values()].reduce((n, t) => n + t.length, 0) === 200 * 5, 'every delivery');
    for (let seq = 0; seq < 200; seq++) {
      const targets = returned[seq];
      expect(targets).toHaveLength(5);
      expect([...targets].sort()).toEqual([...arrived.get(seq)!].sort());
      expect(targets.filter((t) => tasksOf('shuffled').includes(t))).toHaveLength(1);
      expect(tasksOf('everywhere').every((t) => targets.includes(t))).toBe(true);
      expect(targets).toContain(Math.min(...tasksOf('lowest')));
    }
  });
});

describe('direct grouping', () => {
  it('emitDirect reaches exactly the chosen task, and misuse is a clear error', async () => {
    const rows = 300;
    const chosen: number[] = [];
    const returned: number[][] = [];
    const arrived: number[][] = Array.from({ length: rows }, () => []);
    const errors: unknown[] = [];
    let misuseTried = false;
    const capture = (fn: () => void) => {
      try {
        fn();
        errors.push(undefined);
      } catch (error) {
        errors.push(error);
      }
    };

    class Director extends Spout {
      static outputs = { fields: ['seq'], direct: true } as const;
      static streams = { plain: ['seq'] } as const;
      nextTuple(): void {
        const sinks = this.context.tasksOf('sink');
        if (chosen.length < rows) {
          const seq = chosen.length;
          const task = sinks[(seq * 7) % sinks.length];
          chosen.push(task);
          returned.push([...this.emitDirect(task, [seq])]);
          return;
        }
        if (misuseTried) return;
        misuseTried = true;
        capture(() => this.emitDirect(this.context.tasksOf('other')[0], [-1]));
        capture(() => this.emitDirect(sinks[0], [-1], { stream: 'plain' }));
        capture(() => this.emit([-1]));
      }
    }
    class Sink extends BasicBolt {
      process(tuple: Tuple): void {
        arrived[tuple.get('seq') as number].push(this.context.taskId);
      }
    }
    class Direct extends Topology {
      director = Director.spec();
      sink = Sink.spec({ p: 3, input: this.director.direct() });
      other = Sink.spec({ input: this.director.stream('plain') });
    }
    const worker = await cluster().submit(Direct);
    await cluster().until(() => misuseTried && arrived.every((tasks) => tasks.length > 0), 'every direct tuple');

    const sinkTasks = worker.layout.componentTasks.get('sink')!;
    expect(new Set(chosen).size).toBe(sinkTasks.length);
    for (let seq = 0; seq < rows; seq++) {
      expect(arrived[seq]).toEqual([chosen[seq]]);
      expect(returned[seq]).toEqual([chosen[seq]]);
    }

    const otherTask = worker.layout.componentTasks.get('other')![0];
    expect(errors.map((e) => e instanceof TopoError)).toEqual([true, true, true]);
    const [notSubscriber, notDirect, notDirectTask] = errors as TopoError[];
    expect(notSubscriber.message).toBe(
      `director emitted directly to task ${otherTask}, which does not subscribe to stream default with a direct grouping (subscribers: ${sinkTasks.join(', ')})`,
    );
    expect(notSubscriber.context).toMatchObject({ component: 'director', stream: 'default', task: otherTask });
    expect(notDirect.message).toBe('director used emitDirect on stream plain, which is not declared direct');
    expect(notDirectTask.message).toBe('director emitted on direct stream default without a task; use emitDirect');
  });
});
