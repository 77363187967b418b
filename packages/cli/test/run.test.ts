import { describe, expect, it } from 'vitest';
import { CliProcess, fixture, runCli } from './cli-process.js';

const PROGRESS = /^\[ *\d+s\] emitted ([\d,]+) {2}acked ([\d,]+) {2}failed ([\d,]+) {2}pending ([\d,]+) {2}([\d,]+) tuples\/s$/gm;
const SUMMARY = /^summary: emitted (\d+) acked (\d+) failed (\d+) timed out (\d+) errors (\d+) pending (\d+) in [\d.]+s \(\d+ acked\/s\)$/m;
const MAX_PENDING_SEEN = /max pending observed: (\d+)/;

const count = (text: string) => Number(text.replace(/,/g, ''));
const progressLines = (stdout: string) => [...stdout.matchAll(PROGRESS)].map((m) => ({ emitted: count(m[1]), acked: count(m[2]), pending: count(m[4]) }));

function summaryOf(stdout: string) {
  const m = stdout.match(SUMMARY);
  expect(m, stdout).not.toBeNull();
  return { emitted: Number(m![1]), acked: Number(m![2]), failed: Number(m![3]), errors: Number(m![5]), pending: Number(m![6]) };
}

describe('topo run', () => {
  it('runs for --duration, printing progress and a summary with every component', async () => {
    // In this process (--workers 1), whose counters the progress line reads as they change. Over worker processes
    // (the default on two cores) they arrive with heartbeats, and a busy machine could end the 2 s before the first
    // one that counts an ack; run-worker-processes.test.ts and url-parser.test.ts run with --workers 2.
    const { code, stdout, stderr } = await runCli('run', fixture('word-count.ts'), '--workers', '1', '--duration', '2', '--progress-secs', '0.5');
    expect(code, stderr).toBe(0);
    const progress = progressLines(stdout);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.acked).toBeGreaterThan(0);
    const summary = summaryOf(stdout);
    expect(summary.acked).toBeGreaterThan(0);
    // The drain lets every tree finish before the summary.
    expect(summary).toMatchObject({ emitted: summary.acked, failed: 0, errors: 0, pending: 0 });
    for (const component of ['sentences', 'split', 'count', 'shortWords']) expect(stdout).toMatch(new RegExp(`^  ${component} +(spout|bolt) `, 'm'));
    expect(stderr).toMatch(/stopping \(duration\)/);
  });

  it('drains and prints the summary on SIGINT, exiting 0', async () => {
    const cli = new CliProcess(['run', fixture('word-count.ts'), '--progress-secs', '1']);
    await cli.waitFor('stdout', PROGRESS);
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.exited;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/stopping \(SIGINT\)/);
    expect(summaryOf(stdout).acked).toBeGreaterThan(0);
  });

  it('exits at once on a second SIGINT while draining', async () => {
    // Nothing acks in this topology, so the drain would wait its full 10 s.
    const cli = new CliProcess(['run', fixture('stuck.ts'), '--progress-secs', '1']);
    await cli.waitFor('stdout', PROGRESS);
    cli.child.kill('SIGINT');
    await cli.waitFor('stderr', /stopping \(SIGINT\).* for 5 pending trees/);
    cli.child.kill('SIGINT');
    const { code, stdout, stderr } = await cli.exited;
    expect(code).toBe(130);
    expect(stderr).toContain('second interrupt');
    expect(stdout).not.toMatch(SUMMARY);
  });

  it('honors --config topology.max.spout.pending', async () => {
    const limited = await runCli('run', fixture('word-count.ts'), '--duration', '1.5', '--progress-secs', '0.5', '--config', 'topology.max.spout.pending=10');
    expect(limited.code, limited.stderr).toBe(0);
    const seen = Number(limited.stderr.match(MAX_PENDING_SEEN)?.[1]);
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThanOrEqual(10);
    for (const line of progressLines(limited.stdout)) expect(line.pending).toBeLessThanOrEqual(10);

    // Without the limit the same spout runs further ahead, so the check above can tell.
    const unlimited = await runCli('run', fixture('word-count.ts'), '--duration', '1', '--progress-secs', '0.5');
    expect(Number(unlimited.stderr.match(MAX_PENDING_SEEN)?.[1])).toBeGreaterThan(10);
  });

  it('refuses an invalid topology with every problem and exit code 1', async () => {
    const { code, stdout, stderr } = await runCli('run', fixture('broken.ts'), '--duration', '1');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/topology Broken is invalid \(6 problems\)/);
    expect(stderr).toMatch(/component byUser, stream default, field user:/);
  });
});
