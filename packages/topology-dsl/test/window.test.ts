import { describe, expect, it } from 'vitest';
import { ComponentSpec, Spout, Topology, TopoError, WindowedBolt, compile, compileTopology, formatProblem, validate, type TupleWindow, type WindowOptions, type TopologyConfig } from '@topo/topology-dsl';

class Urls extends Spout {
  static outputs = ['host', 'ts'] as const;
  nextTuple(): void {}
}

class TopHosts extends WindowedBolt {
  static outputs = ['host', 'count'] as const;
  execute(_window: TupleWindow): void {}
}

/** A topology with one windowed bolt `top` over `urls`, its window and config given. */
function topology(window: WindowOptions, config: TopologyConfig = {}, componentConfig?: TopologyConfig) {
  return class Windowed extends Topology {
    static config = config;
    urls = Urls.spec();
    top = TopHosts.spec({ p: 2, input: this.urls.fields('host'), window, config: componentConfig });
  };
}

const problemsOf = (window: WindowOptions, config?: TopologyConfig, componentConfig?: TopologyConfig) => validate(compile(topology(window, config, componentConfig))).map(formatProblem);

describe('WindowedBolt specs', () => {
  it("compiles the window to Storm's keys in the component config, the slide explicit", () => {
    const top = compile(topology({ length: { seconds: 60 }, slide: { seconds: 10 } })).components[1];
    expect(top.windowed).toBe(true);
    expect(top.config).toEqual({ 'topology.bolts.window.length.duration.ms': 60_000, 'topology.bolts.window.sliding.interval.duration.ms': 10_000 });
    expect(compile(topology({ length: { count: 100 } })).components[1].config).toEqual({
      'topology.bolts.window.length.count': 100,
      'topology.bolts.window.sliding.interval.count': 100,
    });
  });

  it('compiles event time: the timestamp field, lag, watermark interval and the late stream, which it declares', () => {
    const top = compile(topology({ length: { minutes: 1 }, slide: { count: 10 }, timestamp: 'ts', lag: { seconds: 5 }, watermarkInterval: { ms: 200 }, lateStream: 'late' })).components[1];
    expect(top.config).toEqual({
      'topology.bolts.window.length.duration.ms': 60_000,
      'topology.bolts.window.sliding.interval.count': 10,
      'topo.bolts.tuple.timestamp.field': 'ts',
      'topology.bolts.tuple.timestamp.max.lag.ms': 5000,
      'topology.bolts.watermark.event.interval.ms': 200,
      'topology.bolts.late.tuple.stream': 'late',
    });
    expect(top.streams.late).toEqual({ fields: ['late_tuple'], direct: false });
  });

  it('keeps an extractor function beside the definition, which only flags it', () => {
    const extractor = (tuple: { get(f: string): unknown }) => Number(tuple.get('ts'));
    const compiled = compileTopology(topology({ length: { count: 3 }, timestamp: extractor }));
    expect(compiled.definition.components[1].config['topo.bolts.tuple.timestamp.extractor']).toBe(true);
    expect(compiled.timestampExtractors?.get('top')).toBe(extractor);
  });

  it('refuses a WindowedBolt without a window, and a malformed size, naming the component', () => {
    class NoWindow extends Topology {
      urls = Urls.spec();
      // What a JavaScript user could write: the spec without its window.
      top = (TopHosts as unknown as { spec(o: object): ComponentSpec }).spec({ input: this.urls });
    }
    expect(() => compile(NoWindow)).toThrow(new TopoError('component top: TopHosts is a WindowedBolt; give its spec a window, such as window: { length: { count: 100 } }', { component: 'top' }));
    expect(() => compile(topology({ length: { count: 3, ms: 5 } as never }))).toThrow('component top: window length must be one of { count }, { ms }, { seconds }, { minutes }, { hours }, { days } (got {"count":3,"ms":5})');
  });
});

describe("window validation (Storm's rules, scenario 5.8), in validate() and so in topo check", () => {
  it('refuses a duration window longer than the message timeout, naming the component and both numbers', () => {
    expect(problemsOf({ length: { seconds: 20 }, slide: { seconds: 15 } })).toEqual([
      'component top, config topology.message.timeout.secs: window duration (length + sliding interval) value 35000 ms is more than topology.message.timeout.secs value 30000 ms (30 s): inputs are acked only when they leave the window, so they would time out and be replayed; raise topology.message.timeout.secs to at least 35 or shorten the window',
    ]);
    expect(problemsOf({ length: { seconds: 20 }, slide: { seconds: 15 } }, { 'topology.message.timeout.secs': 35 })).toEqual([]);
    // Equality passes; a count slide leaves only the length to check.
    expect(problemsOf({ length: { seconds: 30 }, slide: { count: 1 } })).toEqual([]);
    expect(problemsOf({ length: { count: 10 }, slide: { seconds: 31 } })[0]).toContain('sliding interval value 31000 ms is more than topology.message.timeout.secs value 30000 ms');
  });

  it('refuses a count window larger than max spout pending, the component config included', () => {
    expect(problemsOf({ length: { count: 60 }, slide: { count: 50 } }, { 'topology.max.spout.pending': 100 })).toEqual([
      'component top, config topology.max.spout.pending: window count (length + sliding interval) value 110 is more than topology.max.spout.pending value 100: the spouts would stop before the window fills, and its tuples are acked only when they leave it; raise topology.max.spout.pending to at least 110 or shrink the window',
    ]);
    expect(problemsOf({ length: { count: 50 }, slide: { count: 50 } }, { 'topology.max.spout.pending': 100 })).toEqual([]);
    expect(problemsOf({ length: { count: 50 }, slide: { count: 51 } }, {}, { 'topology.max.spout.pending': 100 })).toHaveLength(1);
  });

  it('refuses sizes that are not positive through the schema', () => {
    expect(problemsOf({ length: { count: 0 } })).toEqual([
      'component top, config topology.bolts.window.length.count: topology.bolts.window.length.count must be >= 1 (got 0)',
      'component top, config topology.bolts.window.sliding.interval.count: topology.bolts.window.sliding.interval.count must be >= 1 (got 0)',
    ]);
  });

  it('refuses a late stream without event time, a late stream set outside the window option, and an unknown timestamp field', () => {
    expect(problemsOf({ length: { count: 3 }, lateStream: 'late' })).toEqual([
      'component top, stream late, config topology.bolts.late.tuple.stream: a late tuple stream can be defined only with event time; give the window a timestamp field or extractor',
    ]);
    expect(problemsOf({ length: { count: 3 }, timestamp: 'ts' }, { 'topology.bolts.late.tuple.stream': 'late' })).toEqual([
      "component top, stream late, config topology.bolts.late.tuple.stream: late tuple stream late is not declared by the component; name it with the spec's window.lateStream, which declares it",
    ]);
    expect(problemsOf({ length: { count: 3 }, timestamp: 'time' })).toEqual([
      'component top, stream default, field time: window timestamp field time is not a field of stream default of urls (it declares: host, ts)',
    ]);
  });
});
