import { describe, expect, it } from 'vitest';
import { CliProcess, fixture, runCli } from './cli-process.js';

/** What a terminal would act on: controls (C0, DEL, C1) and format characters such as bidi overrides. */
const RAW_UNPRINTABLE = /[\p{Cf}\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u;

/**
 * A small heap, so that a CLI which starts laying out a billion tasks dies in seconds (and
 * fails the test) instead of taking the machine's memory with it.
 */
const SMALL_HEAP = { NODE_OPTIONS: '--max-old-space-size=256' };

const HUGE_REPORT = [
  'topology Huge is invalid (4 problems):',
  '  - component source: 1000000000 tasks (p 1000000000), above the limit of 10000 per component (topology.max.task.parallelism)',
  '  - component sink: 1000000000 tasks (p 1), above the limit of 10000 per component (topology.max.task.parallelism)',
  '  - the topology has 2000000001 tasks (ackers included: 1), above the limit of 10000 (topo.max.topology.tasks)',
  '  - the topology has 1000000002 executors (ackers included: 1), above the limit of 10000 (topo.max.topology.executors)',
];

describe('topologies too big to run', () => {
  it('topo check refuses p: 1e9 and tasks: 1e9, naming each component, its number and the key', async () => {
    const { code, stdout } = await new CliProcess(['check', fixture('huge.ts')], undefined, SMALL_HEAP).exited;
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n')).toEqual(HUGE_REPORT);
  });

  it('topo run refuses them with the same report, before laying out a task', async () => {
    for (const workers of [[], ['--workers', '2']]) {
      const { code, stdout, stderr } = await new CliProcess(['run', fixture('huge.ts'), '--duration', '1', ...workers], undefined, SMALL_HEAP).exited;
      expect(code, stderr).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toEqual(HUGE_REPORT);
    }
  });

  it('--config changes the limits a topology is checked against', async () => {
    const { code, stdout } = await runCli('check', fixture('word-count.ts'), '--config', 'topo.max.topology.tasks=5');
    expect(code).toBe(1);
    expect(stdout).toContain('  - the topology has 9 tasks (ackers included: 1), above the limit of 5 (topo.max.topology.tasks)');
  });
});

describe('topo run --workers', () => {
  it.each([['0'], ['-3'], ['1.5'], ['abc'], [''], ['\u001b[2J']])('refuses %j with one error line and exit code 2', async (value) => {
    const { code, stdout, stderr } = await runCli('run', fixture('word-count.ts'), '--duration', '1', '--workers', value);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([`error: --workers expects a whole number of worker processes, at least 1 (got ${JSON.stringify(value).replace('\u001b', '\\u001b')})`]);
  });

  it('refuses more workers than topo.max.topology.workers, which --config can change', async () => {
    const huge = await runCli('run', fixture('word-count.ts'), '--duration', '1', '--workers', '1e9');
    expect(huge.code).toBe(2);
    expect(huge.stderr.trimEnd().split('\n')).toEqual([
      'error: --workers 1000000000 is above the limit of 1000 (topo.max.topology.workers; raise it with --config topo.max.topology.workers=N)',
    ]);
    const lowered = await runCli('run', fixture('word-count.ts'), '--duration', '1', '--workers', '2', '--config', 'topo.max.topology.workers=1');
    expect(lowered.code).toBe(2);
    expect(lowered.stderr).toMatch(/^error: --workers 2 is above the limit of 1 \(topo\.max\.topology\.workers;/);
  });

  it('uses no more workers than executors, and says so', async () => {
    // Small has one executor: four workers would be three idle processes, so it runs in this one.
    const { code, stderr } = await runCli('run', fixture('two-topologies.ts'), '--topology', 'Small', '--duration', '0.5', '--workers', '4');
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/ INFO --workers 4 is more than the 1 executors to run; using 1 worker \(as nimbus would\)\n/);
    expect(stderr).toMatch(/^running Small on 1 worker \(this process\)/m);
    expect(stderr).not.toMatch(/listening on/);
  });
});

describe('names', () => {
  it.each([
    ['check', ['check', fixture('word-count.ts')]],
    ['run', ['run', fixture('word-count.ts'), '--duration', '1']],
    ['submit', ['submit', fixture('word-count.ts'), '--dry-run']],
  ])('topo %s refuses a --name with control characters, printing it escaped', async (command, args) => {
    const { code, stdout, stderr } = await runCli(...args, '--name', 'word\u001b[31mcount\u0007');
    expect(code).toBe(1);
    const report = `${stdout}${stderr}`;
    expect(report).toContain('topology word\\u001b[31mcount\\u0007 is invalid (1 problem):');
    expect(report).toContain('  - name must be printable, without control or format characters (U+001B at character 5) (got "word\\u001b[31mcount\\u0007")');
    expect(report).not.toMatch(RAW_UNPRINTABLE);
    if (command !== 'check') expect(stdout).toBe('');
  });

  it('topo check refuses Storm\'s forbidden characters in a --name', async () => {
    const { code, stdout } = await runCli('check', fixture('word-count.ts'), '--name', 'word.count');
    expect(code).toBe(1);
    expect(stdout).toContain('  - name must not contain "." (character 5); names may not hold / \\ . or : (got "word.count")');
  });
});
