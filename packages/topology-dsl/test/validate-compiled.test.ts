import { describe, expect, it } from 'vitest';
import {
  Spout,
  Topology,
  TopologyValidationError,
  build,
  compileTopology,
  validateCompiled,
  type ComponentDefinition,
  type TopologyConfig,
  type ValidationProblem,
} from '@topo/topology-dsl';
import { Sink } from './example-components.js';

/** A source that needs `test.queue`, as a connector needs its queue name. */
class QueueSpout extends Spout {
  static outputs = ['job'] as const;
  static validateComponent(component: ComponentDefinition, config: TopologyConfig): ValidationProblem[] {
    if (typeof config['test.queue'] === 'string') return [];
    return [{ code: 'missing-queue', component: component.name, configKey: 'test.queue', message: `${component.className} needs a queue name` }];
  }
  nextTuple(): void {}
}

class Jobs extends Topology {
  jobs = QueueSpout.spec();
  sink = Sink.spec({ input: this.jobs });
}

class NamedJobs extends Topology {
  jobs = QueueSpout.spec({ config: { 'test.queue': 'emails' } });
  sink = Sink.spec({ input: this.jobs });
}

describe("validateCompiled(): the component classes' own checks", () => {
  it("reports a class's problem under the component's name", () => {
    expect(validateCompiled(compileTopology(Jobs))).toStrictEqual([
      { code: 'missing-queue', component: 'jobs', configKey: 'test.queue', message: 'QueueSpout needs a queue name' },
    ]);
  });

  it('sees component config, topology config and submit-time overrides', () => {
    expect(validateCompiled(compileTopology(NamedJobs))).toStrictEqual([]);
    expect(validateCompiled(compileTopology(Jobs, { config: { 'test.queue': 'emails' } }))).toStrictEqual([]);
    expect(validateCompiled(compileTopology(Jobs), { 'test.queue': 'emails' })).toStrictEqual([]);
  });

  it('is part of build(), which throws with every problem', () => {
    let error: unknown;
    try {
      build(Jobs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TopologyValidationError);
    expect((error as TopologyValidationError).message).toContain('component jobs, config test.queue: QueueSpout needs a queue name');
    expect(() => build(Jobs, { config: { 'test.queue': 'emails' } })).not.toThrow();
  });
});
