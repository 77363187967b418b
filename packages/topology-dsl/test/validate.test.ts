import { describe, expect, it } from 'vitest';
import {
  Topology,
  TopologyValidationError,
  build,
  compile,
  formatProblem,
  validate,
  type SpoutSpecOptions,
  type TopologyClass,
  type TopologyDefinition,
  type ValidationProblem,
} from '@topo/topology-dsl';
import { EventSpout, Sink, UrlBolt, UrlSpout } from './example-components.js';

function problemsOf(topology: TopologyClass): ValidationProblem[] {
  return validate(compile(topology));
}

/** A problem with these location fields (and no others) and a message matching `message`. */
function problem(expected: Omit<ValidationProblem, 'message'> & { message: RegExp }): ValidationProblem {
  return { ...expected, message: expect.stringMatching(expected.message) as unknown as string };
}

class UrlParser extends Topology {
  urlSpout = UrlSpout.spec({ p: 1 });
  urlBolt = UrlBolt.spec({ p: 4, input: this.urlSpout });
}

describe('validate() of a valid topology', () => {
  it('finds no problem in the seed example or in one using every grouping and option', () => {
    class Busy extends Topology {
      static config = { 'topology.message.timeout.secs': 5, 'topology.max.spout.pending': null, 'app.region': 'eu' };
      events = EventSpout.spec({ p: 2, tasks: 4 });
      urls = UrlSpout.spec({ maxInFlight: 2 });
      parser = UrlBolt.spec({ p: 2, input: this.urls, tickSecs: 1, config: { 'topology.acker.executors': 0 } });
      sink = Sink.spec({
        inputs: [
          this.parser.fields('host'),
          this.parser.stream('invalid').partialKey('reason'),
          this.events.stream('routed').direct(),
          this.events.stream('errors').global(),
          this.events.custom((_values, tasks) => tasks),
        ],
      });
    }
    expect(problemsOf(UrlParser)).toEqual([]);
    expect(problemsOf(Busy)).toEqual([]);
    expect(build(Busy).definition).toStrictEqual(compile(Busy));
  });
});

describe('validate() of the graph', () => {
  it('reports an input from a spec that is not a property of the topology, naming the bolt and stream', () => {
    const feed = UrlSpout.spec({ name: 'feed' });
    const unnamed = UrlSpout.spec();
    class Orphans extends Topology {
      urls = UrlSpout.spec();
      parser = UrlBolt.spec({ inputs: [this.urls, feed, unnamed] });
    }
    expect(problemsOf(Orphans)).toEqual([
      problem({ code: 'unknown-input', component: 'parser', stream: 'default', message: /unknown component feed \(components: urls, parser\).*property of the topology/ }),
      problem({ code: 'unknown-input', component: 'parser', stream: 'default', message: /unknown component \(unnamed UrlSpout\)/ }),
    ]);
  });

  it('reports a grouping on a field the stream does not declare, naming component, stream and field', () => {
    class Typos extends Topology {
      parserSource = UrlSpout.spec();
      parser = UrlBolt.spec({ input: this.parserSource });
      // `as never` stands in for what the type checker cannot see: JavaScript, casts, hand-edited JSON.
      byHost = Sink.spec({ input: this.parser.fields('hots' as never, 'host') });
      byReason = Sink.spec({ input: this.parser.stream('invalid').partialKey('resaon' as never) });
    }
    expect(problemsOf(Typos)).toEqual([
      problem({ code: 'unknown-field', component: 'byHost', stream: 'default', field: 'hots', message: /^fields grouping on field hots, which stream default of parser does not declare \(it declares: url, host, path\)$/ }),
      problem({ code: 'unknown-field', component: 'byReason', stream: 'invalid', field: 'resaon', message: /^partialKey grouping on field resaon, .*\(it declares: url, reason\)$/ }),
    ]);
  });

  it('reports a field unknown to a definition edited by hand', () => {
    const definition = compile(UrlParser);
    definition.components[1].inputs[0].grouping = { type: 'fields', fields: ['URL'] };
    expect(validate(definition)).toEqual([problem({ code: 'unknown-field', component: 'urlBolt', stream: 'default', field: 'URL', message: /field URL.*declares: url/ })]);
  });

  it('reports a subscription to a stream the source does not declare, listing the ones it does', () => {
    class WrongStream extends Topology {
      events = EventSpout.spec();
      sink = Sink.spec({ input: this.events.stream('error' as never) });
    }
    expect(problemsOf(WrongStream)).toEqual([
      problem({ code: 'unknown-stream', component: 'sink', stream: 'error', message: /stream error, which events does not declare \(it declares: default, errors, routed\)/ }),
    ]);
  });

  it('reports a bolt without inputs and a topology without spouts', () => {
    class Idle extends Topology {
      sink = Sink.spec({ p: 2 });
    }
    expect(problemsOf(Idle)).toEqual([
      problem({ code: 'no-spout', message: /no spout/ }),
      problem({ code: 'bolt-without-inputs', component: 'sink', message: /no inputs; give it `input:` or `inputs:`/ }),
    ]);
  });

  it('reports a spout with inputs', () => {
    class Fed extends Topology {
      urls = UrlSpout.spec();
      events = EventSpout.spec({ input: this.urls } as SpoutSpecOptions);
    }
    expect(problemsOf(Fed)).toEqual([problem({ code: 'spout-with-inputs', component: 'events', message: /spout cannot have inputs/ })]);
  });

  it('reports a name given to two components once, with how many share it', () => {
    class Twins extends Topology {
      urls = UrlSpout.spec({ name: 'x' });
      parser = UrlBolt.spec({ name: 'x', input: this.urls });
    }
    expect(problemsOf(Twins)).toContainEqual(problem({ code: 'duplicate-name', component: 'x', message: /2 components are named x/ }));
    expect(problemsOf(Twins).filter((p) => p.code === 'duplicate-name')).toHaveLength(1);
  });

  it('reports names starting with __, which belong to system components', () => {
    class Squatter extends Topology {
      urls = UrlSpout.spec({ name: '__acker' });
      parser = UrlBolt.spec({ input: this.urls });
    }
    expect(problemsOf(Squatter)).toEqual([problem({ code: 'reserved-name', component: '__acker', message: /reserved for system components/ })]);
  });

  it('reports direct grouping on a stream not declared direct, and other groupings on a direct stream', () => {
    class Misdirected extends Topology {
      events = EventSpout.spec();
      direct = Sink.spec({ input: this.events.direct() });
      shuffled = Sink.spec({ input: this.events.stream('routed') });
      keyed = Sink.spec({ input: this.events.stream('routed').fields('key') });
    }
    expect(problemsOf(Misdirected)).toEqual([
      problem({ code: 'direct-on-non-direct-stream', component: 'direct', stream: 'default', message: /direct grouping on stream default of events, which is not declared direct/ }),
      problem({ code: 'non-direct-on-direct-stream', component: 'shuffled', stream: 'routed', message: /routed of events is direct; subscribe to it with \.direct\(\), not shuffle/ }),
      problem({ code: 'non-direct-on-direct-stream', component: 'keyed', stream: 'routed', message: /not fields$/ }),
    ]);
  });

  it('reports a stream subscribed to twice by one bolt', () => {
    class Twice extends Topology {
      events = EventSpout.spec();
      sink = Sink.spec({ inputs: [this.events.fields('key'), this.events.stream('errors'), this.events.all()] });
    }
    expect(problemsOf(Twice)).toEqual([problem({ code: 'duplicate-input', component: 'sink', stream: 'default', message: /stream default of events more than once/ })]);
  });
});

describe('validate() of parallelism, tasks and options', () => {
  it.each([
    ['p', 0, 'schema-minimum', /^parallelism must be >= 1 \(got 0\)$/],
    ['p', -1, 'schema-minimum', /^parallelism must be >= 1 \(got -1\)$/],
    ['p', 1.5, 'schema-type', /^parallelism must be integer \(got 1.5\)$/],
    ['tasks', 0, 'schema-minimum', /^tasks must be >= 1 \(got 0\)$/],
    ['tasks', -1, 'schema-minimum', /^tasks must be >= 1 \(got -1\)$/],
    ['tasks', 1.5, 'schema-type', /^tasks must be integer \(got 1.5\)$/],
    ['maxInFlight', 0, 'schema-minimum', /^maxInFlight must be >= 1 \(got 0\)$/],
    ['tickSecs', 0, 'schema-exclusiveMinimum', /^tickSecs must be > 0 \(got 0\)$/],
  ])('reports %s: %s on the component', (option, value, code, message) => {
    class Bad extends Topology {
      urls = UrlSpout.spec();
      // tasks: 2 keeps a bad p from also making the default tasks bad.
      parser = UrlBolt.spec({ tasks: 2, [option]: value, input: this.urls });
    }
    expect(problemsOf(Bad)).toEqual([problem({ code, component: 'parser', message })]);
  });

  it('reports fewer tasks than executors', () => {
    class Starved extends Topology {
      urls = UrlSpout.spec({ p: 4, tasks: 2 });
      parser = UrlBolt.spec({ input: this.urls });
    }
    expect(problemsOf(Starved)).toEqual([problem({ code: 'tasks-below-parallelism', component: 'urls', message: /tasks \(2\) must be at least the parallelism \(4\)/ })]);
  });

  it('reports a component name the cluster cannot use in paths', () => {
    class Spaced extends Topology {
      urls = UrlSpout.spec({ name: 'url spout' });
      parser = UrlBolt.spec({ input: this.urls });
    }
    expect(problemsOf(Spaced)).toEqual([problem({ code: 'schema-pattern', component: 'url spout', message: /^name must not contain whitespace \(U\+0020 at character 4\) \(got "url spout"\)$/ })]);
  });
});

describe('validate() of config', () => {
  it('reports known keys with the wrong type or range, at topology and component level, naming the key', () => {
    class Misconfigured extends Topology {
      static config = { 'topology.message.timeout.secs': 'soon', 'topology.workers': 0, 'app.anything': { goes: true } };
      urls = UrlSpout.spec({ config: { 'topology.max.spout.pending': 0 } });
      parser = UrlBolt.spec({ input: this.urls, config: { 'topology.debug': 'yes', 'topology.workers': null } });
    }
    expect(problemsOf(Misconfigured)).toEqual([
      problem({ code: 'schema-type', configKey: 'topology.message.timeout.secs', message: /^topology\.message\.timeout\.secs must be integer \(got "soon"\)$/ }),
      problem({ code: 'schema-minimum', configKey: 'topology.workers', message: /^topology\.workers must be >= 1 \(got 0\)$/ }),
      problem({ code: 'schema-minimum', component: 'urls', configKey: 'topology.max.spout.pending', message: /must be >= 1 \(got 0\)/ }),
      problem({ code: 'schema-type', component: 'parser', configKey: 'topology.workers', message: /^topology\.workers must be integer$/ }),
      problem({ code: 'schema-type', component: 'parser', configKey: 'topology.debug', message: /must be boolean \(got "yes"\)/ }),
    ]);
  });

  it("reports the worker links' limits with a bad value before any worker starts", () => {
    const definition = compile(UrlParser, { config: { 'topo.worker.handshake.max.frame.bytes': 0, 'topo.worker.handshake.timeout.ms': 'soon' } });
    expect(validate(definition)).toEqual([
      problem({ code: 'schema-minimum', configKey: 'topo.worker.handshake.max.frame.bytes', message: /must be >= 1 \(got 0\)/ }),
      problem({ code: 'schema-type', configKey: 'topo.worker.handshake.timeout.ms', message: /must be integer \(got "soon"\)/ }),
    ]);
  });

  it('reports config layered in by compile options, as the CLI passes --config', () => {
    const definition = compile(UrlParser, { config: { 'topology.acker.executors': -1 } });
    expect(validate(definition)).toEqual([problem({ code: 'schema-minimum', configKey: 'topology.acker.executors', message: /must be >= 0 \(got -1\)/ })]);
  });
});

describe('validate() reports everything at once', () => {
  const stray = UrlSpout.spec();
  class Broken extends Topology {
    static config = { 'topology.workers': 0 };
    urls = UrlSpout.spec({ p: 0, tasks: 1 });
    events = EventSpout.spec({ name: 'x', p: 4, tasks: 2 });
    parser = UrlBolt.spec({ name: 'x', input: this.urls.fields('uri' as never) });
    direct = Sink.spec({ inputs: [stray, this.events.direct(), this.parser.stream('nosuch' as never)] });
    lonely = Sink.spec({ name: '__lonely', config: { 'topology.message.timeout.secs': 'soon' } });
  }
  const expectedCodes = [
    'schema-minimum', // topology.workers
    'schema-minimum', // urls p
    'schema-type', // __lonely timeout
    'duplicate-name',
    'reserved-name',
    'tasks-below-parallelism',
    'unknown-field',
    'unknown-input',
    'direct-on-non-direct-stream',
    'unknown-stream',
    'bolt-without-inputs',
  ];

  it('returns every problem of a topology with many', () => {
    const problems = problemsOf(Broken);
    expect(problems.map((p) => p.code).sort()).toEqual([...expectedCodes].sort());
    expect(problems).toContainEqual(problem({ code: 'unknown-field', component: 'x', stream: 'default', field: 'uri', message: /field uri/ }));
    expect(problems).toContainEqual(problem({ code: 'schema-type', component: '__lonely', configKey: 'topology.message.timeout.secs', message: /"soon"/ }));
  });

  it('makes build() throw a TopologyValidationError that carries and lists every problem', () => {
    let error: unknown;
    try {
      build(Broken);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(TopologyValidationError);
    const { problems, message, topology, context } = error as TopologyValidationError;
    expect(problems).toEqual(problemsOf(Broken));
    expect(topology).toBe('Broken');
    expect(context).toEqual({ topology: 'Broken' });
    const lines = message.split('\n');
    expect(lines[0]).toBe(`topology Broken is invalid (${expectedCodes.length} problems):`);
    expect(lines.slice(1)).toEqual(problems.map((p) => `  - ${formatProblem(p)}`));
  });
});

describe('validate() of malformed JSON', () => {
  const valid = (): TopologyDefinition => compile(UrlParser);
  it.each<[string, () => unknown, RegExp]>([
    ['null', () => null, /^topology must be object$/],
    ['a number', () => 5, /^topology must be object \(got 5\)$/],
    ['an empty object', () => ({}), /^topology must have required property 'name'$/],
    ['a null component', () => ({ ...valid(), components: [null, valid().components[1]] }), /^component #0 must be object$/],
    ['a null input', () => Object.assign(valid(), { components: [valid().components[0], { ...valid().components[1], inputs: [null] }] }), /^input 1 must be object$/],
    ['a null stream', () => Object.assign(valid(), { components: [{ ...valid().components[0], streams: { default: null } }, valid().components[1]] }), /^streams\.default must be object$/],
    [
      'a fields grouping without fields',
      () => Object.assign(valid(), { components: [valid().components[0], { ...valid().components[1], inputs: [{ component: 'urlSpout', stream: 'default', grouping: { type: 'fields' } }] }] }),
      /^grouping of input 1 \(from urlSpout\) must have required property 'fields'$/,
    ],
    [
      'an unknown grouping type',
      () => Object.assign(valid(), { components: [valid().components[0], { ...valid().components[1], inputs: [{ component: 'urlSpout', stream: 'default', grouping: { type: 'broadcast' } }] }] }),
      /^grouping\.type of input 1 \(from urlSpout\) must be one of shuffle, fields, all, global, none, direct, localOrShuffle, partialKey, custom \(got "broadcast"\)$/,
    ],
  ])('returns problems for %s instead of throwing', (_what, definition, message) => {
    expect(validate(definition())).toContainEqual(expect.objectContaining({ message: expect.stringMatching(message) }));
  });
});
