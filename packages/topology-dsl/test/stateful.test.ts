import { describe, expect, it } from 'vitest';
import {
  BasicBolt,
  CHECKPOINT_COMPONENT,
  Spout,
  StatefulBolt,
  Topology,
  TopoError,
  WindowedBolt,
  type TupleWindow,
  checkpointMode,
  compile,
  describeCheckpointMode,
  formatProblem,
  validate,
  type KeyValueState,
  type TopologyConfig,
  type Tuple,
} from '@topo/topology-dsl';

class Words extends Spout {
  static outputs = ['word'] as const;
  nextTuple(): void {}
}

class FileWords extends Spout {
  static outputs = ['word'] as const;
  nextTuple(): void {}
  position(): unknown {
    return 0;
  }
  rewind(): void {}
}

class Pass extends BasicBolt {
  static outputs = ['word'] as const;
  process(tuple: Tuple): void {
    this.emit([tuple.get('word')]);
  }
}

class Count extends StatefulBolt<number> {
  static outputs = ['word', 'count'] as const;
  private state!: KeyValueState<number>;
  initState(state: KeyValueState<number>): void {
    this.state = state;
  }
  process(tuple: Tuple): void {
    const word = tuple.get('word') as string;
    this.state.put(word, (this.state.get(word) ?? 0) + 1);
  }
}

/** Scenario 5.10's shape: S (p 2) -> B (p 3) -> C (p 2, stateful), and C reads S too. */
function scenario(spout: typeof Words | typeof FileWords = Words, config: TopologyConfig = {}) {
  return class Counting extends Topology {
    static config = config;
    s = spout.spec({ p: 2 });
    b = Pass.spec({ p: 3, input: this.s });
    c = Count.spec({ p: 2, inputs: [this.b.fields('word'), this.s.fields('word')] });
  };
}

describe('stateful topologies', () => {
  it("adds Storm's checkpoint spout and wires $checkpoint behind every component's data, all grouped", () => {
    const definition = compile(scenario());
    const byName = new Map(definition.components.map((c) => [c.name, c]));
    expect(byName.get(CHECKPOINT_COMPONENT)).toMatchObject({ kind: 'spout', parallelism: 1, tasks: 1, inputs: [], streams: { $checkpoint: { fields: ['txid', 'action'], direct: false } } });
    expect(byName.get('s')!.inputs).toEqual([{ component: '$checkpointspout', stream: '$checkpoint', grouping: { type: 'all' } }]);
    expect(byName.get('b')!.inputs.slice(1)).toEqual([{ component: 's', stream: '$checkpoint', grouping: { type: 'all' } }]);
    // One barrier input per distinct input component, however many of its streams are read.
    expect(byName.get('c')!.inputs.slice(2)).toEqual([
      { component: 'b', stream: '$checkpoint', grouping: { type: 'all' } },
      { component: 's', stream: '$checkpoint', grouping: { type: 'all' } },
    ]);
    for (const c of definition.components) expect(c.streams.$checkpoint).toEqual({ fields: ['txid', 'action'], direct: false });
    expect(byName.get('c')!.stateful).toBe(true);
    expect(byName.get('c')!.autoAck).toBe(true);
    expect(byName.get('b')!.stateful).toBeUndefined();
    expect(validate(definition)).toEqual([]);
  });

  it('leaves a topology without stateful components alone', () => {
    class Plain extends Topology {
      s = Words.spec();
      b = Pass.spec({ input: this.s });
    }
    const definition = compile(Plain);
    expect(definition.components.map((c) => c.name)).toEqual(['s', 'b']);
    expect(Object.keys(definition.components[1].streams)).toEqual(['default']);
    expect(checkpointMode(definition)).toBeUndefined();
  });

  it('marks spouts with position() and rewind() rewindable', () => {
    expect(compile(scenario(FileWords)).components[0].rewindable).toBe(true);
    expect(compile(scenario(Words)).components[0].rewindable).toBeUndefined();
  });

  it('names the mode and every reason it is not exactly once', () => {
    expect(checkpointMode(compile(scenario(FileWords, { 'topology.state.provider': 'redis' })))).toEqual({ mode: 'exactly-once', reasons: [], provider: 'redis' });
    const weak = checkpointMode(compile(scenario(Words, { 'topo.state.barrier.alignment': false })))!;
    expect(weak.mode).toBe('at-least-once');
    expect(describeCheckpointMode(weak)).toBe(
      'state: at-least-once: spout s is not rewindable (it has no position() and rewind()); topo.state.barrier.alignment is false (barriers are counted, not aligned); state provider memory is not durable across restarts',
    );
    expect(checkpointMode(compile(scenario(FileWords)), { 'topology.state.provider': 'redis' })!.mode).toBe('exactly-once');
  });

  it('takes a window feeding state for at-least-once: the window keeps tuples outside the checkpoint', () => {
    class Tally extends WindowedBolt {
      static outputs = ['word'] as const;
      execute(window: TupleWindow): void {
        for (const t of window.newTuples) this.emit([t.get('word')]);
      }
    }
    class Windowed extends Topology {
      static config = { 'topology.state.provider': 'redis' };
      s = FileWords.spec();
      w = Tally.spec({ input: this.s, window: { length: { count: 10 } } });
      b = Pass.spec({ input: this.w });
      c = Count.spec({ input: this.b.fields('word') });
    }
    const mode = checkpointMode(compile(Windowed))!;
    expect(mode.mode).toBe('at-least-once');
    expect(mode.reasons).toEqual(['windowed bolt w feeds stateful bolts and keeps its window outside the checkpoint (a rollback replays tuples it still holds)']);
    // After the state, a window changes nothing the state promises.
    class WindowAfter extends Topology {
      static config = { 'topology.state.provider': 'redis' };
      s = FileWords.spec();
      c = Count.spec({ input: this.s.fields('word') });
      w = Tally.spec({ input: this.c, window: { length: { count: 10 } } });
    }
    expect(checkpointMode(compile(WindowAfter))!.mode).toBe('exactly-once');
  });

  it('refuses a checkpoint interval not below the message timeout, naming both keys and numbers', () => {
    const problems = validate(compile(scenario(Words, { 'topology.state.checkpoint.interval.ms': 30_000 }))).map(formatProblem);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('topology.state.checkpoint.interval.ms value 30000 ms is not below topology.message.timeout.secs value 30000 ms (30 s)');
    expect(validate(compile(scenario(Words, { 'topology.state.checkpoint.interval.ms': 29_999 })))).toEqual([]);
  });

  it('refuses a stateful topology without ackers', () => {
    expect(validate(compile(scenario(Words, { 'topology.acker.executors': 0 }))).map((p) => p.code)).toEqual(['checkpoints-without-ackers']);
  });

  it('refuses inputs to a spout other than the checkpoint barriers, and missing wiring', () => {
    const definition = compile(scenario());
    const s = definition.components.find((c) => c.name === 's')!;
    s.inputs.push({ component: 'b', stream: 'default', grouping: { type: 'shuffle' } });
    const c = definition.components.find((x) => x.name === 'c')!;
    c.inputs = c.inputs.filter((i) => !(i.component === 'b' && i.stream === '$checkpoint'));
    const codes = validate(definition).map((p) => [p.code, p.component]);
    expect(codes).toContainEqual(['spout-with-inputs', 's']);
    expect(codes).toContainEqual(['checkpoint-input-missing', 'c']);
    const withoutSpout = compile(scenario());
    withoutSpout.components = withoutSpout.components.filter((x) => x.name !== CHECKPOINT_COMPONENT);
    expect(validate(withoutSpout).map((p) => p.code)).toContain('checkpoint-spout-missing');
  });

  it('refuses a component named $checkpointspout or declaring $checkpoint in a stateful topology', () => {
    class Clash extends Topology {
      s = Words.spec({ name: '$checkpointspout' });
      c = Count.spec({ input: this.s });
    }
    expect(() => compile(Clash)).toThrow(TopoError);
    class Sneaky extends Spout {
      static outputs = ['word'] as const;
      static streams = { $checkpoint: ['x'] };
      nextTuple(): void {}
    }
    class Clash2 extends Topology {
      s = Sneaky.spec();
      c = Count.spec({ input: this.s });
    }
    expect(() => compile(Clash2)).toThrow(/declares stream \$checkpoint/);
  });
});
