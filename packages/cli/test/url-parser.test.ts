import type { TopologyDefinition } from '@topo/topology-dsl';
import { describe, expect, it } from 'vitest';
import { CliProcess, runCli } from './cli-process.js';

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
    await cli.waitFor('stderr', /source ended after 50 URLs/);
    await cli.waitFor('stdout', /^\[ *\d+s\] emitted 50 {2}acked 50\b/m);
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.exited;
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^summary: emitted 50 acked 50 failed 0 /m);
    expect(stderr.match(/top \d+ of \d+ hosts: [^\n]*/g)?.join(' ')).toMatch(/host0\.example\.com=10/);
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
