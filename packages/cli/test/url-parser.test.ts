import { readFileSync } from 'node:fs';
import type { TopologyDefinition } from '@topo/topology-dsl';
import { describe, expect, it } from 'vitest';
import { CliProcess, fixture, repoRoot, runCli } from './cli-process.js';

const urlLines = readFileSync(`${repoRoot}examples/url-parser/data/urls.txt`, 'utf8').split('\n').filter((line) => line.trim() !== '').length;

interface JsonSummary {
  stopped: string;
  workers: number;
  emitted: number;
  acked: number;
  failed: number;
  pending: number;
  flowSecs: number;
  runSecs: number;
  ackedPerSec: number;
  components: { component: string; kind: string }[];
}

/** `topo run <file> --json ...` to its end, by itself: the summary it printed. */
async function finiteRun(...args: string[]): Promise<JsonSummary> {
  const { code, stdout, stderr } = await runCli('run', ...args, '--json');
  expect(code, stderr).toBe(0);
  expect(stderr).toMatch(/every spout is done and no tree is pending/);
  return JSON.parse(stdout) as JsonSummary;
}

const example = 'examples/url-parser/topology.ts';

describe('the url-parser example through the CLI', () => {
  it('checks clean', async () => {
    const { code, stdout, stderr } = await runCli('check', example);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^ok: topology UrlParser is valid: 4 components/);
  });

  it('draws every component and edge in Mermaid', async () => {
    const report = await runCli('check', example, '--json');
    const definition = (JSON.parse(report.stdout) as { definition: TopologyDefinition }).definition;
    const { code, stdout } = await runCli('visualize', example, '--format', 'mermaid');
    expect(code).toBe(0);
    for (const c of definition.components) {
      expect(stdout).toContain(`n_${c.name}`);
      expect(stdout).toContain(`${c.name} (p=${c.parallelism}`);
      for (const input of c.inputs) expect(stdout).toMatch(new RegExp(`n_${input.component} -->\\|"[^"]*${input.grouping.type}[^"]*"\\| n_${c.name}`));
    }
    expect(stdout).toContain('-->|"invalid: fields(reason)"| n_invalidCount');
  });

  it('ends by itself once the file is read (urlparser.loop=false), printing its summary as JSON', async () => {
    const summary = await finiteRun(example, '--workers', '1', '--config', 'urlparser.loop=false');
    expect(summary).toMatchObject({ stopped: 'finished', workers: 1, emitted: urlLines, acked: urlLines, failed: 0, pending: 0 });
    expect(summary.components.map((c) => c.component)).toEqual(['urlSpout', 'urlBolt', 'hostCount', 'invalidCount']);
    expect(summary.ackedPerSec).toBe(Math.round(summary.acked / summary.flowSecs));
  });

  it('gives the rate over the time tuples flowed, not the idle start', async () => {
    const summary = await finiteRun(fixture('late-start.ts'), '--workers', '1');
    expect(summary).toMatchObject({ stopped: 'finished', acked: 20, pending: 0 });
    // The spout idled 1.5 s before its first emit: outside the flow, inside the run.
    expect(summary.runSecs - summary.flowSecs).toBeGreaterThanOrEqual(1.4);
    expect(summary.ackedPerSec).toBe(Math.round(20 / summary.flowSecs));
  });

  it('runs for 3 seconds and acks URLs', async () => {
    const { code, stdout, stderr } = await runCli('run', example, '--duration', '3', '--progress-secs', '1');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^\[ *\d+s\] emitted [\d,]+ {2}acked [\d,]+/m);
    const acked = Number(stdout.match(/^summary: .*\backed (\d+)\b/m)?.[1]);
    expect(acked).toBeGreaterThan(0);
    for (const component of ['urlSpout', 'urlBolt', 'hostCount', 'invalidCount']) expect(stdout).toMatch(new RegExp(`^  ${component} `, 'm'));
  });
});

describe('the url-parser example over worker processes', () => {
  it('reads URLs piped into `topo run` in whichever worker runs the spout', async () => {
    const urls = Array.from({ length: 50 }, (_, i) => `https://host${i % 5}.example.com/page/${i}`);
    const cli = new CliProcess(['run', example, '--workers', '2', '--config', 'urlparser.source=stdin'], `${urls.join('\n')}\n`);
    // The end of stdin ends the source, and the run: no Ctrl-C needed.
    const { code, stdout, stderr } = await cli.exited;
    expect(stderr).toMatch(/source ended after 50 URLs/);
    expect(stderr).toMatch(/stopping \(finished\)/);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^summary: emitted 50 acked 50 failed 0 /m);
    expect(stderr.match(/top \d+ of \d+ hosts: [^\n]*/g)?.join(' ')).toMatch(/host0\.example\.com=10/);
  });


  it('ends by itself over worker processes too once every spout task is done', async () => {
    const summary = await finiteRun(example, '--workers', '2', '--config', 'urlparser.loop=false');
    expect(summary).toMatchObject({ stopped: 'finished', workers: 2, acked: urlLines, failed: 0, pending: 0 });
  });

  it('runs with --workers 2, and Ctrl-C drains and leaves no worker process behind', async () => {
    const cli = new CliProcess(['run', example, '--workers', '2', '--progress-secs', '1']);
    const pids = [];
    for (const id of ['worker-001', 'worker-002']) pids.push(Number((await cli.waitFor('stderr', new RegExp(`worker ${id} \\(pid (\\d+)\\) listening`)))[1]));
    await cli.waitFor('stdout', /^\[ *\d+s\] emitted [\d,]+ {2}acked [1-9][\d,]*/m);
    expect(cli.stderr).toMatch(/running UrlParser on 2 worker processes/);
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.exited;
    expect(code, stderr).toBe(0);
    expect(Number(stdout.match(/^summary: .*\backed (\d+)\b/m)?.[1])).toBeGreaterThan(0);
    expect(stdout).toMatch(/^summary: .* failed 0 .* pending 0 /m);
    for (const pid of pids) expect(() => process.kill(pid, 0), `worker pid ${pid} still alive`).toThrow();
  });
});
