import { describe, expect, it } from 'vitest';
import {
  Topology,
  TopoError,
  compile,
  compileTopology,
  customGroupingName,
  type CustomGroupingFn,
  type InputDefinition,
} from '@topo/topology-dsl';
import { EventSpout, Sink, UrlBolt, UrlSpout } from './example-components.js';

class UrlParser extends Topology {
  urlSpout = UrlSpout.spec({ p: 1 });
  urlBolt = UrlBolt.spec({ p: 4, input: this.urlSpout });
}

describe('compile() of the seed example', () => {
  it('names components after their properties and records parallelism, streams and inputs', () => {
    expect(compile(UrlParser)).toStrictEqual({
      name: 'UrlParser',
      config: {},
      components: [
        {
          name: 'urlSpout',
          kind: 'spout',
          className: 'UrlSpout',
          parallelism: 1,
          tasks: 1,
          streams: { default: { fields: ['url'], direct: false } },
          inputs: [],
          config: {},
        },
        {
          name: 'urlBolt',
          kind: 'bolt',
          className: 'UrlBolt',
          parallelism: 4,
          tasks: 4,
          streams: {
            default: { fields: ['url', 'host', 'path'], direct: false },
            invalid: { fields: ['url', 'reason'], direct: false },
          },
          inputs: [{ component: 'urlSpout', stream: 'default', grouping: { type: 'shuffle' } }],
          config: {},
          autoAck: true,
        },
      ],
    });
  });

  it('accepts an instance as well as the class', () => {
    expect(compile(new UrlParser())).toStrictEqual(compile(UrlParser));
  });

  it('keeps the components of a base topology, in declaration order, when a subclass adds to it', () => {
    class UrlParserWithCounts extends UrlParser {
      counter = Sink.spec({ p: 2, input: this.urlBolt.fields('host') });
    }
    const definition = compile(UrlParserWithCounts);
    expect(definition.components.map((c) => c.name)).toEqual(['urlSpout', 'urlBolt', 'counter']);
    expect(definition.components[2].inputs).toEqual([{ component: 'urlBolt', stream: 'default', grouping: { type: 'fields', fields: ['host'] } }]);
  });
});

const partition: CustomGroupingFn = (values, targetTasks) => [targetTasks[String(values[0]).length % targetTasks.length]];

class AllGroupings extends Topology {
  events = EventSpout.spec({ p: 2 });
  bare = Sink.spec({ input: this.events });
  shuffle = Sink.spec({ input: this.events.shuffle() });
  fields = Sink.spec({ input: this.events.fields('key') });
  twoFields = Sink.spec({ input: this.events.fields('key', 'value') });
  all = Sink.spec({ input: this.events.all() });
  global = Sink.spec({ input: this.events.global() });
  none = Sink.spec({ input: this.events.none() });
  direct = Sink.spec({ input: this.events.stream('routed').direct() });
  localOrShuffle = Sink.spec({ input: this.events.localOrShuffle() });
  partialKey = Sink.spec({ input: this.events.partialKey('key') });
  custom = Sink.spec({ input: this.events.custom(partition) });
  errors = Sink.spec({ input: this.events.stream('errors') });
  errorsByReason = Sink.spec({ input: this.events.stream('errors').fields('reason') });
}

describe('compile() of groupings', () => {
  const { definition, customGroupings } = compileTopology(AllGroupings);
  const inputsOf = (name: string): InputDefinition[] => definition.components.find((c) => c.name === name)!.inputs;

  it('declares the named and direct streams of the source', () => {
    expect(definition.components[0].streams).toStrictEqual({
      default: { fields: ['key', 'value'], direct: false },
      errors: { fields: ['reason'], direct: false },
      routed: { fields: ['key', 'value'], direct: true },
    });
  });

  it.each([
    ['bare', 'default', { type: 'shuffle' }],
    ['shuffle', 'default', { type: 'shuffle' }],
    ['fields', 'default', { type: 'fields', fields: ['key'] }],
    ['twoFields', 'default', { type: 'fields', fields: ['key', 'value'] }],
    ['all', 'default', { type: 'all' }],
    ['global', 'default', { type: 'global' }],
    ['none', 'default', { type: 'none' }],
    ['direct', 'routed', { type: 'direct' }],
    ['localOrShuffle', 'default', { type: 'localOrShuffle' }],
    ['partialKey', 'default', { type: 'partialKey', fields: ['key'] }],
    ['errors', 'errors', { type: 'shuffle' }],
    ['errorsByReason', 'errors', { type: 'fields', fields: ['reason'] }],
  ])('%s subscribes to events.%s with %o', (component, stream, grouping) => {
    expect(inputsOf(component)).toStrictEqual([{ component: 'events', stream, grouping }]);
  });

  it('stores a custom grouping by name in the definition and keeps its function beside it', () => {
    const [input] = inputsOf('custom');
    const name = customGroupingName('custom', input);
    expect(input).toStrictEqual({ component: 'events', stream: 'default', grouping: { type: 'custom', name } });
    expect(customGroupings.get(name)).toBe(partition);
    expect(customGroupings.size).toBe(1);
  });

  it('is plain JSON: it survives JSON.stringify and JSON.parse unchanged', () => {
    expect(JSON.parse(JSON.stringify(definition))).toStrictEqual(definition);
  });
});

describe('compile() of spec options', () => {
  class Options extends Topology {
    static config = { 'topology.workers': 2, 'app.greeting': 'hello' };
    urls = UrlSpout.spec({ par: 2, tasks: 6, maxInFlight: 4, config: { 'topology.max.spout.pending': 100 } });
    parser = UrlBolt.spec({ parallelism: 3, name: 'url-parser', input: this.urls, tickSecs: 5 });
    counts = Sink.spec({
      input: this.parser.fields('host'),
      inputs: [this.parser.stream('invalid'), this.urls.global()],
      config: { 'app.flushEvery': 10 },
    });
  }
  const definition = compile(Options);
  const [urls, parser, counts] = definition.components;

  it('reads par and parallelism as aliases of p, and defaults tasks to the parallelism', () => {
    expect([urls.parallelism, urls.tasks]).toEqual([2, 6]);
    expect([parser.parallelism, parser.tasks]).toEqual([3, 3]);
    expect([counts.parallelism, counts.tasks]).toEqual([1, 1]);
  });

  it('uses name: over the property name, also in the inputs of subscribers', () => {
    expect(parser.name).toBe('url-parser');
    expect(counts.inputs.map((i) => i.component)).toEqual(['url-parser', 'url-parser', 'urls']);
  });

  it('lists input: first, then inputs:', () => {
    expect(counts.inputs).toStrictEqual([
      { component: 'url-parser', stream: 'default', grouping: { type: 'fields', fields: ['host'] } },
      { component: 'url-parser', stream: 'invalid', grouping: { type: 'shuffle' } },
      { component: 'urls', stream: 'default', grouping: { type: 'global' } },
    ]);
  });

  it('keeps component config, tickSecs and maxInFlight on the component they were given to', () => {
    expect(urls.config).toStrictEqual({ 'topology.max.spout.pending': 100 });
    expect(urls.maxInFlight).toBe(4);
    expect(parser.tickSecs).toBe(5);
    expect(counts.config).toStrictEqual({ 'app.flushEvery': 10 });
    expect('tickSecs' in urls || 'maxInFlight' in parser || 'tickSecs' in counts).toBe(false);
  });

  it('sets autoAck only for BasicBolt subclasses', () => {
    expect(parser.autoAck).toBe(true);
    expect('autoAck' in counts || 'autoAck' in urls).toBe(false);
  });

  it('takes static config and layers compile options over it', () => {
    expect(definition.config).toStrictEqual({ 'topology.workers': 2, 'app.greeting': 'hello' });
    const overridden = compile(Options, { name: 'nightly', config: { 'topology.workers': 4, 'topology.debug': true } });
    expect(overridden.name).toBe('nightly');
    expect(overridden.config).toStrictEqual({ 'topology.workers': 4, 'app.greeting': 'hello', 'topology.debug': true });
    expect(Options.config).toStrictEqual({ 'topology.workers': 2, 'app.greeting': 'hello' });
  });

  it('takes the name from static topologyName before the class name', () => {
    class Named extends UrlParser {
      static topologyName = 'url-parser-prod';
    }
    expect(compile(Named).name).toBe('url-parser-prod');
  });
});

describe('compile() of how specs are held', () => {
  it('ignores properties that are not specs and compiles a spec held twice once, under its first name', () => {
    class Shared extends Topology {
      urls = UrlSpout.spec();
      alias = this.urls;
      greeting = 'hello';
      parser = UrlBolt.spec({ input: this.alias });
    }
    const definition = compile(Shared);
    expect(definition.components.map((c) => c.name)).toEqual(['urls', 'parser']);
    expect(definition.components[1].inputs[0].component).toBe('urls');
  });

  it('throws a TopoError naming the component when an input is a spec declared below it', () => {
    class Backwards extends Topology {
      // @ts-expect-error TypeScript sees the use before initialization; JavaScript users do not.
      parser = UrlBolt.spec({ input: this.urls });
      urls = UrlSpout.spec();
    }
    expect(() => compile(Backwards)).toThrow(
      expect.objectContaining({
        name: 'TopoError',
        message: expect.stringMatching(/^component parser: input 1 is undefined;.*declared above it/),
        context: { component: 'parser' },
      }),
    );
    expect(() => compile(Backwards)).toThrow(TopoError);
  });

  it('throws a TopoError naming the component when an input is not a spec', () => {
    class ForgotSpec extends Topology {
      urls = UrlSpout.spec();
      parser = UrlBolt.spec({ inputs: [this.urls, UrlSpout as never] });
    }
    expect(() => compile(ForgotSpec)).toThrow(/component parser: input 2 is not a spec, stream or grouping/);
  });
});
