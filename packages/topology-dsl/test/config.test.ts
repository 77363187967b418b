import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, KNOWN_CONFIG, TopoError, mergeConfig, parseConfigAssignment, validate, type ConfigValue } from '@topo/topology-dsl';

describe('parseConfigAssignment()', () => {
  it.each<[string, string, ConfigValue]>([
    ['topology.message.timeout.secs=30', 'topology.message.timeout.secs', 30],
    ['topology.debug=true', 'topology.debug', true],
    ['topology.max.spout.pending=null', 'topology.max.spout.pending', null],
    ['app.ratio=0.25', 'app.ratio', 0.25],
    ['app.hosts=["a","b"]', 'app.hosts', ['a', 'b']],
    ['app.limits={"rps":10}', 'app.limits', { rps: 10 }],
    ['app.quoted="30"', 'app.quoted', '30'],
  ])('parses %s as JSON', (text, key, value) => {
    expect(parseConfigAssignment(text)).toEqual([key, value]);
  });

  it.each<[string, string, string]>([
    ['app.region=eu-west-1', 'app.region', 'eu-west-1'],
    ['app.url=redis://localhost:6379/0?a=b', 'app.url', 'redis://localhost:6379/0?a=b'],
    ['app.empty=', 'app.empty', ''],
    ['app.greeting=hello world', 'app.greeting', 'hello world'],
  ])('keeps %s, which is not JSON, as the raw string after the first =', (text, key, value) => {
    expect(parseConfigAssignment(text)).toEqual([key, value]);
  });

  it('trims the key but not the value', () => {
    expect(parseConfigAssignment(' app.name = x ')).toEqual(['app.name', ' x ']);
  });

  it.each(['topology.debug', '=true', '', ' =1'])('rejects %j, which has no key=value, with a TopoError quoting it', (text) => {
    expect(() => parseConfigAssignment(text)).toThrow(
      expect.objectContaining({ name: 'TopoError', message: `--config expects key=value, got "${text}"`, context: { argument: text } }),
    );
    expect(() => parseConfigAssignment(text)).toThrow(TopoError);
  });
});

describe('mergeConfig()', () => {
  it('lets later layers win, key by key, and skips missing layers', () => {
    const topology = { 'topology.workers': 2, 'app.region': 'eu' };
    const component = { 'topology.workers': 3, 'topology.max.spout.pending': 10 };
    const commandLine = { 'app.region': 'us', 'topology.max.spout.pending': null };
    expect(mergeConfig(DEFAULT_CONFIG, topology, undefined, component, commandLine)).toEqual({
      ...DEFAULT_CONFIG,
      'topology.workers': 3,
      'app.region': 'us',
      'topology.max.spout.pending': null,
    });
  });

  it('returns a new object and leaves every layer as it was', () => {
    const topology = { 'topology.workers': 2 };
    const merged = mergeConfig(DEFAULT_CONFIG, topology);
    merged['topology.workers'] = 5;
    expect(topology).toEqual({ 'topology.workers': 2 });
    expect(DEFAULT_CONFIG['topology.workers']).toBe(1);
    expect(mergeConfig()).toEqual({});
  });
});

describe('DEFAULT_CONFIG', () => {
  it("uses Storm's defaults and is itself a valid config", () => {
    expect(DEFAULT_CONFIG).toMatchObject({
      'topology.message.timeout.secs': 30,
      'topology.max.spout.pending': null,
      'topology.acker.executors': null,
      'topology.shellbolt.max.pending': 100,
    });
    expect(Object.keys(DEFAULT_CONFIG).every((key) => key in KNOWN_CONFIG)).toBe(true);
    expect(validate({ name: 'defaults', config: DEFAULT_CONFIG, components: [] }).map((p) => p.code)).toEqual(['no-spout']);
  });
});
