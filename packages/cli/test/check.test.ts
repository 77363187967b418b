import { compile, formatProblem, validate, type TopologyDefinition } from '@topo/topology-dsl';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './cli-process.js';
import Broken from './fixtures/broken.js';
import { Pair } from './fixtures/two-topologies.js';
import WordCount from './fixtures/word-count.js';

const taskCount = (definition: TopologyDefinition) => definition.components.reduce((sum, c) => sum + c.tasks, 0);

// Each test is one or two runs of the CLI, independent of the others: they run side by side.
describe.concurrent('topo check', () => {
  it('accepts a valid topology and summarizes it', async () => {
    const definition = compile(WordCount);
    const { code, stdout } = await runCli('check', fixture('word-count.ts'));
    expect(code).toBe(0);
    expect(stdout).toContain(`topology ${definition.name} is valid`);
    expect(stdout).toContain(`${definition.components.length} components`);
    expect(stdout).toContain(`${taskCount(definition)} tasks`);
  });

  it('reports every problem of an invalid topology, naming component, stream and field', async () => {
    const problems = validate(compile(Broken));
    expect(new Set(problems.map((p) => p.code))).toEqual(
      new Set(['unknown-input', 'unknown-field', 'bolt-without-inputs', 'duplicate-name', 'schema-minimum']),
    );
    const { code, stdout } = await runCli('check', fixture('broken.ts'));
    expect(code).toBe(1);
    for (const problem of problems) expect(stdout).toContain(formatProblem(problem));
    expect(stdout).toMatch(/component orphan, stream default: input from unknown component ghost/);
    expect(stdout).toMatch(/component byUser, stream default, field user: fields grouping on field user/);
    expect(stdout).toMatch(/component lonely: bolt has no inputs/);
    expect(stdout).toMatch(/component twin: 2 components are named twin/);
    expect(stdout).toMatch(/component idle: parallelism must be >= 1/);
  });

  it('validates the --config overrides too', async () => {
    const { code, stdout } = await runCli('check', fixture('word-count.ts'), '--config', 'topology.message.timeout.secs=0');
    expect(code).toBe(1);
    expect(stdout).toMatch(/config topology\.message\.timeout\.secs: .*must be >= 1/);
  });

  it('prints a JSON report with --json', async () => {
    const { code, stdout } = await runCli('check', fixture('broken.ts'), '--json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { valid: boolean; problems: unknown[]; definition: TopologyDefinition };
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual(validate(compile(Broken)));
    expect(report.definition).toEqual(compile(Broken));
  });

  it('gives a one-line error, not a stack trace, for a missing file', async () => {
    const { code, stdout, stderr } = await runCli('check', fixture('no-such-topology.ts'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([`error: topology file not found: ${fixture('no-such-topology.ts')}`]);
  });

  it('asks for --topology when a file exports several topologies, and uses the one named', async () => {
    const ambiguous = await runCli('check', fixture('two-topologies.ts'));
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/exports several topologies \(Pair, Small\); pick one with --topology/);
    expect(ambiguous.stderr).not.toMatch(/^\s+at /m);

    const picked = await runCli('check', fixture('two-topologies.ts'), '--topology', 'Pair');
    expect(picked.code).toBe(0);
    expect(picked.stdout).toContain(`${taskCount(compile(Pair))} tasks`);
  });
});
