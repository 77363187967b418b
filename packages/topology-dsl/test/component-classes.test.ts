import { describe, expect, it } from 'vitest';
import {
  BasicBolt,
  Bolt,
  DEFAULT_STREAM,
  TopoError,
  type AnchorsLike,
  type BoltCollector,
  type SpoutCollector,
  type TopologyContext,
  type Tuple,
} from '@topo/topology-dsl';
import { EventSpout, Sink, UrlBolt } from './example-components.js';

// The runtime provides the collectors; these record what the DSL hands them, which is
// the contract the runtime relies on.
class RecordingCollector implements SpoutCollector, BoltCollector {
  readonly emits: { stream: string; values: unknown[]; tracking: unknown; directTask: number | undefined }[] = [];
  readonly acks: Tuple[] = [];
  readonly fails: Tuple[] = [];
  readonly errors: unknown[] = [];
  doneCalls = 0;

  emit(stream: string, values: unknown[], tracking: unknown, directTask: number | undefined): readonly number[] {
    this.emits.push({ stream, values, tracking, directTask });
    return directTask === undefined ? [1, 2] : [directTask];
  }
  ack(tuple: Tuple): void {
    this.acks.push(tuple);
  }
  markDone(): void {
    this.doneCalls++;
  }
  fail(tuple: Tuple): void {
    this.fails.push(tuple);
  }
  reportError(error: unknown): void {
    this.errors.push(error);
  }
}

function context(componentId: string): TopologyContext {
  return {
    topologyName: 'test',
    componentId,
    taskId: 1,
    taskIndex: 0,
    componentTasks: [1],
    tasksOf: () => [],
    config: {},
    log: () => {},
    incrMetric: () => {},
  };
}

function tuple(values: unknown[], fields: string[]): Tuple {
  return {
    values,
    fields,
    sourceComponent: 'urls',
    sourceStream: DEFAULT_STREAM,
    sourceTask: 1,
    get: (field) => values[fields.indexOf(field)],
    isTick: () => false,
  };
}

describe('Spout and Bolt before the engine runs them', () => {
  it('throw a TopoError naming the class on emit, ack or context', () => {
    const spout = new EventSpout();
    const bolt = new Sink();
    expect(() => spout.nextTuple()).toThrow(new TopoError('EventSpout: emit is only possible once the spout runs'));
    expect(() => spout.context).toThrow(new TopoError('EventSpout: context is only available once the spout runs'));
    expect(() => bolt.process(tuple(['x'], ['url']))).toThrow(new TopoError('Sink: emit is only possible once the bolt runs'));
    expect(() => bolt.context).toThrow(/^Sink: context is only available once the bolt runs$/);
  });
});

describe('Spout and Bolt once bound to a collector', () => {
  it('a spout emits on the default stream, or the one named, with its msgId and direct task', () => {
    const collector = new RecordingCollector();
    const spout = new EventSpout();
    spout.bindRuntime(collector, context('events'));
    spout.nextTuple();
    expect(spout.emit(['k', 1], { stream: 'errors' })).toEqual([1, 2]);
    expect(spout.emitDirect(7, ['k', 2], { stream: 'routed', msgId: 'm2' })).toEqual([7]);
    spout.reportError(new Error('feed down'));
    spout.markDone();
    expect(collector.doneCalls).toBe(1);
    expect(collector.emits).toEqual([
      { stream: 'default', values: ['k0', 0], tracking: 0, directTask: undefined },
      { stream: 'errors', values: ['k', 1], tracking: undefined, directTask: undefined },
      { stream: 'routed', values: ['k', 2], tracking: 'm2', directTask: 7 },
    ]);
    expect(collector.errors).toEqual([new Error('feed down')]);
    expect(spout.context.componentId).toBe('events');
  });

  it('a bolt emits with its anchors and acks and fails the tuples it is given', () => {
    class Splitter extends Bolt {
      process(input: Tuple): void {
        const anchors: AnchorsLike = [input];
        for (const word of String(input.get('line')).split(' ')) this.emit([word], { anchors });
        if (input.values[0] === '') this.fail(input);
        else this.ack(input);
      }
    }
    const collector = new RecordingCollector();
    const bolt = new Splitter();
    bolt.bindRuntime(collector, context('splitter'));
    const line = tuple(['a b'], ['line']);
    const empty = tuple([''], ['line']);
    bolt.process(line);
    bolt.process(empty);
    expect(collector.emits.map((e) => [e.values, e.tracking])).toEqual([
      [['a'], [line]],
      [['b'], [line]],
      [[''], [empty]],
    ]);
    expect(collector.acks).toEqual([line]);
    expect(collector.fails).toEqual([empty]);
  });

  it('a BasicBolt emits on a named stream without anchors, which the engine supplies', () => {
    const collector = new RecordingCollector();
    const bolt = new UrlBolt();
    bolt.bindRuntime(collector, context('urlBolt'));
    bolt.process(tuple(['https://example.com/a/b'], ['url']));
    bolt.process(tuple(['not a url'], ['url']));
    expect(collector.emits).toEqual([
      { stream: 'default', values: ['https://example.com/a/b', 'example.com', '/a/b'], tracking: undefined, directTask: undefined },
      { stream: 'invalid', values: ['not a url', 'unparseable'], tracking: undefined, directTask: undefined },
    ]);
  });

  it('BasicBolt subclasses ask the engine to auto-ack; Bolt subclasses do not', () => {
    expect(UrlBolt.autoAck).toBe(true);
    expect(BasicBolt.autoAck).toBe(true);
    expect(Sink.autoAck).toBe(false);
  });
});
