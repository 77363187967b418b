import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, Topology, TopologyValidationError, build, compile, formatProblem, validate, type TopologyClass, type ValidationProblem } from '@topo/topology-dsl';
import { Sink, UrlBolt, UrlSpout } from './example-components.js';

function problemsOf(topology: TopologyClass, ceilings?: Parameters<typeof validate>[1]): ValidationProblem[] {
  return validate(compile(topology), ceilings);
}

const lines = (problems: ValidationProblem[]) => problems.map(formatProblem);

describe('limits on the size of a topology', () => {
  it('has defaults no real topology reaches, one Storm key and three of its own', () => {
    expect(DEFAULT_LIMITS).toEqual({
      'topology.max.task.parallelism': 10_000,
      'topo.max.topology.tasks': 10_000,
      'topo.max.topology.executors': 10_000,
      'topo.max.topology.workers': 1_000,
    });
  });

  it('refuses p: 1e9 naming the component, the number and the key, without laying out a task', () => {
    class Huge extends Topology {
      urls = UrlSpout.spec({ p: 1e9 });
      parser = UrlBolt.spec({ input: this.urls });
    }
    // Laying out a billion tasks would take minutes and exhaust the heap; refusing takes no time.
    expect(() => build(Huge)).toThrow(TopologyValidationError);
    expect(lines(problemsOf(Huge))).toEqual([
      'component urls: 1000000000 tasks (p 1000000000), above the limit of 10000 per component (topology.max.task.parallelism)',
      'the topology has 1000000002 tasks (ackers included: 1), above the limit of 10000 (topo.max.topology.tasks)',
      'the topology has 1000000002 executors (ackers included: 1), above the limit of 10000 (topo.max.topology.executors)',
    ]);
  });

  it('refuses tasks: 1e9 the same way, with the code too-many-tasks', () => {
    class ManyTasks extends Topology {
      urls = UrlSpout.spec();
      parser = UrlBolt.spec({ tasks: 1e9, input: this.urls });
    }
    const problems = problemsOf(ManyTasks);
    expect(problems[0]).toEqual({
      code: 'too-many-tasks',
      component: 'parser',
      message: '1000000000 tasks (p 1), above the limit of 10000 per component (topology.max.task.parallelism)',
    });
    expect(problems.map((p) => p.code)).toEqual(['too-many-tasks', 'too-many-tasks']);
  });

  it('counts tasks and executors over the whole topology, ackers included', () => {
    class Wide extends Topology {
      static config = { 'topology.acker.executors': 4 };
      urls = UrlSpout.spec({ p: 4000, tasks: 6000 });
      parser = UrlBolt.spec({ p: 4000, tasks: 4000, input: this.urls });
      sink = Sink.spec({ p: 1990, input: this.parser });
    }
    expect(problemsOf(Wide)).toEqual([
      { code: 'too-many-tasks', message: 'the topology has 11994 tasks (ackers included: 4), above the limit of 10000 (topo.max.topology.tasks)' },
    ]);
    class Busy extends Topology {
      static config = { 'topology.acker.executors': 4 };
      urls = UrlSpout.spec({ p: 6000 });
      parser = UrlBolt.spec({ p: 4000, tasks: 4000, input: this.urls });
      sink = Sink.spec({ p: 1990, input: this.parser });
    }
    expect(problemsOf(Busy).map((p) => p.code)).toEqual(['too-many-tasks', 'too-many-executors']);
    expect(problemsOf(Busy)[1].message).toBe('the topology has 11994 executors (ackers included: 4), above the limit of 10000 (topo.max.topology.executors)');
  });

  it('refuses more workers than topo.max.topology.workers (and their default ackers count as executors)', () => {
    class Spread extends Topology {
      static config = { 'topology.workers': 1e9 };
      urls = UrlSpout.spec();
      parser = UrlBolt.spec({ input: this.urls });
    }
    expect(lines(problemsOf(Spread))).toEqual([
      'topology.workers is 1000000000, above the limit of 1000 (topo.max.topology.workers)',
      'the topology has 1000000002 tasks (ackers included: 1000000000), above the limit of 10000 (topo.max.topology.tasks)',
      'the topology has 1000000002 executors (ackers included: 1000000000), above the limit of 10000 (topo.max.topology.executors)',
    ]);
    expect(problemsOf(Spread)[0].code).toBe('too-many-workers');
  });

  it('lets a topology lower a limit, per topology or per component, as Storm lets it cap parallelism', () => {
    class Capped extends Topology {
      static config = { 'topology.max.task.parallelism': 4 };
      urls = UrlSpout.spec({ p: 4 });
      parser = UrlBolt.spec({ p: 2, tasks: 8, input: this.urls });
      sink = Sink.spec({ p: 3, input: this.parser, config: { 'topology.max.task.parallelism': 2 } });
    }
    expect(lines(problemsOf(Capped))).toEqual([
      'component parser: 8 tasks (p 2), above the limit of 4 per component (topology.max.task.parallelism)',
      'component sink: 3 tasks (p 3), above the limit of 2 per component (topology.max.task.parallelism)',
    ]);
  });

  it('lets a topology raise its own limits, and null lift the per-component one, when nobody caps them', () => {
    class Big extends Topology {
      static config = { 'topology.max.task.parallelism': null, 'topo.max.topology.tasks': 20_000, 'topo.max.topology.executors': 20_000 };
      urls = UrlSpout.spec({ p: 12_000 });
      parser = UrlBolt.spec({ input: this.urls });
    }
    expect(problemsOf(Big)).toEqual([]);
  });

  it('never lets a topology raise a limit above the ceilings of whoever runs it', () => {
    class Greedy extends Topology {
      static config = { 'topo.max.topology.tasks': 1e9, 'topology.max.task.parallelism': null };
      urls = UrlSpout.spec({ tasks: 50 });
      parser = UrlBolt.spec({ input: this.urls });
    }
    expect(problemsOf(Greedy)).toEqual([]);
    expect(lines(problemsOf(Greedy, { ceilings: { 'topo.max.topology.tasks': 40, 'topology.max.task.parallelism': 45 } }))).toEqual([
      'component urls: 50 tasks (p 1), above the limit of 45 per component (topology.max.task.parallelism)',
      'the topology has 52 tasks (ackers included: 1), above the limit of 40 (topo.max.topology.tasks)',
    ]);
  });

  it('checks the limit settings themselves like any known key', () => {
    class Odd extends Topology {
      static config = { 'topo.max.topology.tasks': 0, 'topo.max.topology.workers': 'many' };
      urls = UrlSpout.spec();
      parser = UrlBolt.spec({ input: this.urls, config: { 'topology.max.task.parallelism': 1.5 } });
    }
    expect(problemsOf(Odd).map((p) => [p.code, p.configKey])).toEqual([
      ['schema-minimum', 'topo.max.topology.tasks'],
      ['schema-type', 'topo.max.topology.workers'],
      ['schema-type', 'topology.max.task.parallelism'],
    ]);
  });

  it.each([
    ['p', Infinity, /^parallelism must be integer \(got Infinity\)$/],
    ['p', NaN, /^parallelism must be integer \(got NaN\)$/],
    ['tasks', -Infinity, /^tasks must be integer \(got -Infinity\)$/],
    ['tasks', -5, /^tasks must be >= 1 \(got -5\)$/],
  ])('refuses %s: %s, showing the value as it was', (option, value, message) => {
    class Odd extends Topology {
      urls = UrlSpout.spec();
      parser = UrlBolt.spec({ p: 1, tasks: 1, [option]: value, input: this.urls });
    }
    expect(problemsOf(Odd)).toEqual([expect.objectContaining({ component: 'parser', message: expect.stringMatching(message) })]);
  });

  it('refuses workers that are not a whole number of at least one', () => {
    for (const workers of [Infinity, 2.5, 0, -1]) {
      class Spread extends Topology {
        static config = { 'topology.workers': workers };
        urls = UrlSpout.spec();
        parser = UrlBolt.spec({ input: this.urls });
      }
      const definition = compile(Spread);
      expect(validate(definition), String(workers)).toEqual([expect.objectContaining({ configKey: 'topology.workers' })]);
    }
  });
});
