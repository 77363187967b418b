import { BasicBolt, Spout, Topology, build, compile, validateCompiled, compileTopology, type Tuple } from '@topo/topology-dsl';
import { ShellBolt, ShellSpout, SHELL_CONFIG } from '@topo/multilang';
import { describe, expect, it } from 'vitest';

class Lines extends Spout {
  static outputs = ['line'] as const;
  nextTuple(): void {}
}

class Count extends BasicBolt {
  process(_tuple: Tuple): void {}
}

class Words extends Topology {
  lines = Lines.spec();
  split = ShellBolt.spec({
    command: 'python3',
    args: ['split.py', '--fast'],
    cwd: new URL('.', import.meta.url),
    env: { LANG: 'C' },
    serializer: 'msgpack',
    outputs: ['word'],
    streams: { rejected: ['line', 'reason'], routed: { fields: ['word'], direct: true } },
    p: 2,
    input: this.lines,
  });
  count = Count.spec({ input: this.split.fields('word') });
  rejected = Count.spec({ input: this.split.stream('rejected').fields('reason') });
  routed = Count.spec({ input: this.split.stream('routed').direct() });
  feed = ShellSpout.spec({ command: 'ruby', args: ['feed.rb'], outputs: ['line'] });
}

describe('ShellBolt.spec() and ShellSpout.spec()', () => {
  it('declare the spec’s outputs and streams, put the subprocess settings in the component config, and keep the class name', () => {
    const definition = compile(Words);
    const split = definition.components.find((c) => c.name === 'split')!;
    expect(split).toMatchObject({ kind: 'bolt', className: 'ShellBolt', parallelism: 2 });
    expect(split.streams).toEqual({
      default: { fields: ['word'], direct: false },
      rejected: { fields: ['line', 'reason'], direct: false },
      routed: { fields: ['word'], direct: true },
    });
    expect(split.config).toEqual({
      [SHELL_CONFIG.command]: 'python3',
      [SHELL_CONFIG.args]: ['split.py', '--fast'],
      [SHELL_CONFIG.cwd]: new URL('.', import.meta.url).pathname.replace(/\/$/, ''),
      [SHELL_CONFIG.env]: { LANG: 'C' },
      [SHELL_CONFIG.serializer]: 'msgpack',
    });
    const feed = definition.components.find((c) => c.name === 'feed')!;
    expect(feed).toMatchObject({ kind: 'spout', className: 'ShellSpout', streams: { default: { fields: ['line'], direct: false } } });
    expect(JSON.parse(JSON.stringify(definition))).toEqual(definition);
  });

  it('builds: groupings on the declared fields and streams validate', () => {
    expect(() => build(Words)).not.toThrow();
  });

  it('gives each spec its own class, so two shell components declare different streams', () => {
    const { componentClasses } = compileTopology(Words);
    expect(componentClasses.get('split')).not.toBe(componentClasses.get('feed'));
    expect(new (componentClasses.get('split') as new () => object)()).toBeInstanceOf(ShellBolt);
    expect(new (componentClasses.get('feed') as new () => object)()).toBeInstanceOf(ShellSpout);
  });

  it('reports bad settings as validation problems naming the component and config key', () => {
    class Broken extends Topology {
      lines = Lines.spec();
      split = ShellBolt.spec({ command: '', outputs: ['word'], input: this.lines, config: { [SHELL_CONFIG.serializer]: 'xml', [SHELL_CONFIG.maxMessageBytes]: -1 } });
    }
    const problems = validateCompiled(compileTopology(Broken));
    expect(problems.map((p) => [p.component, p.configKey])).toEqual([
      ['split', SHELL_CONFIG.command],
      ['split', SHELL_CONFIG.serializer],
      ['split', SHELL_CONFIG.maxMessageBytes],
    ]);
  });

  it('reports a handshake timeout that is not a positive whole number of seconds', () => {
    class SlowStart extends Topology {
      lines = Lines.spec();
      split = ShellBolt.spec({ command: 'python3', outputs: ['word'], input: this.lines, config: { [SHELL_CONFIG.handshakeTimeoutSecs]: 0 } });
    }
    const problems = validateCompiled(compileTopology(SlowStart));
    expect(problems).toEqual([expect.objectContaining({ component: 'split', configKey: 'topo.shell.handshake.timeout.secs', message: 'topo.shell.handshake.timeout.secs must be a positive integer' })]);
  });

  it('type-checks groupings against the spec’s fields and streams', () => {
    class Typed extends Topology {
      lines = Lines.spec();
      split = ShellBolt.spec({ command: 'python3', outputs: ['word'], streams: { rejected: ['reason'] }, input: this.lines });
      // @ts-expect-error: the default stream has no field "nope"
      bad = Count.spec({ input: this.split.fields('nope') });
      // @ts-expect-error: there is no stream "missing"
      worse = Count.spec({ input: this.split.stream('missing') });
    }
    expect(compile(Typed).components.map((c) => c.name)).toEqual(['lines', 'split', 'bad', 'worse']);
  });
});
