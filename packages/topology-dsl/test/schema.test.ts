import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { Topology, compile, topologyDefinitionSchema, type TopologyDefinition } from '@topo/topology-dsl';
import { EventSpout, Sink, UrlBolt, UrlSpout } from './example-components.js';

// Compiled the way a consumer such as nimbus would, independently of validate().
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const isDefinition = ajv.compile<TopologyDefinition>(topologyDefinitionSchema);

class Everything extends Topology {
  static config = { 'topology.message.timeout.secs': 10, 'topology.max.spout.pending': null, 'app.tags': ['a', 'b'] };
  events = EventSpout.spec({ p: 2, tasks: 4, maxInFlight: 8 });
  urls = UrlSpout.spec({ config: { 'topology.debug': true } });
  parser = UrlBolt.spec({ par: 3, input: this.urls, tickSecs: 0.5 });
  sink = Sink.spec({
    inputs: [
      this.parser.stream('invalid').fields('reason'),
      this.parser.partialKey('host'),
      this.events.stream('routed').direct(),
      this.events.stream('errors').all(),
      this.events.custom((_values, tasks) => tasks.slice(0, 1)),
    ],
  });
}

describe('topologyDefinitionSchema', () => {
  it('is a valid strict JSON Schema 2020-12 and accepts what compile() produces', () => {
    const definition = compile(Everything);
    expect(isDefinition(definition), ajv.errorsText(isDefinition.errors)).toBe(true);
    expect(isDefinition(JSON.parse(JSON.stringify(definition)))).toBe(true);
  });

  it.each<[string, (d: TopologyDefinition) => void]>([
    ['an unknown top-level property', (d) => Object.assign(d, { version: 2 })],
    ['a component without className', (d) => delete (d.components[0] as Partial<TopologyDefinition['components'][0]>).className],
    ['a kind other than spout or bolt', (d) => Object.assign(d.components[0], { kind: 'sink' })],
    ['a fractional parallelism', (d) => (d.components[0].parallelism = 1.5)],
    ['a grouping type that does not exist', (d) => Object.assign(d.components[3].inputs[0].grouping, { type: 'broadcast' })],
    ['a fields grouping without fields', (d) => (d.components[3].inputs[0].grouping = { type: 'fields' } as never)],
    ['a custom grouping without its name', (d) => (d.components[3].inputs[4].grouping = { type: 'custom' } as never)],
    ['a stream that lists a field twice', (d) => (d.components[0].streams.default.fields = ['key', 'key'])],
    ['a component name with a slash', (d) => (d.components[0].name = 'events/1')],
    ['a topology name with a dot', (d) => (d.name = 'my.topology')],
    ['a topology name with NUL', (d) => (d.name = 'x\0y')],
    ['a component name longer than 128 characters', (d) => (d.components[0].name = 'e'.repeat(129))],
    ['a stream name with ESC', (d) => (d.components[0].streams['x\u001b[2J'] = { fields: [], direct: false })],
    ['a field name with a bidi override', (d) => (d.components[0].streams.default.fields = ['key\u202e'])],
    ['a known config key with the wrong type', (d) => (d.config['topology.message.timeout.secs'] = '10')],
  ])('rejects %s', (_what, edit) => {
    const definition = compile(Everything);
    edit(definition);
    expect(isDefinition(definition)).toBe(false);
  });
});
