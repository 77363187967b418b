import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isRunning, waitFor } from '@topo/runtime';
import { CliProcess, fixture, runCli } from './cli-process.js';

const WORKER_INFO = /^\S+ INFO .*\(worker-\d+\) /m;
const WORKER_PID = /worker (worker-\d+) \(pid (\d+)\) listening/g;

/** The variables of a process as the kernel keeps them: what any process of the same user can read. */
function environ(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').filter(Boolean);
}

/** Processes whose parent is `pid`, from /proc. */
function children(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

describe('topo run --workers: the worker processes', () => {
  it('log at the run\'s --log-level: no INFO line from a worker at error, and their INFO lines at info', async () => {
    const quiet = await runCli('run', fixture('word-count.ts'), '--workers', '2', '--log-level', 'error', '--duration', '1.5', '--progress-secs', '1');
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(/^summary: emitted \d+ acked [1-9]/m);
    expect(quiet.stderr).not.toMatch(WORKER_INFO);
    // The same run at info: the workers have INFO lines to write (the spout's close() logs one), so the check above can tell.
    const chatty = await runCli('run', fixture('word-count.ts'), '--workers', '2', '--log-level', 'info', '--duration', '1.5', '--progress-secs', '1');
    expect(chatty.code, chatty.stderr).toBe(0);
    expect(chatty.stderr).toMatch(/^\S+ INFO \[sentences:\d+\] \(worker-\d+\) max pending observed/m);
  });

  it('keep the topology secret out of their environment and their multi-lang subprocesses\', and the topology works', async () => {
    const cli = new CliProcess(['run', 'examples/url-parser/topology-python.ts', '--workers', '2', '--progress-secs', '0.5', '--log-level', 'info']);
    try {
      await cli.waitFor('stdout', /^\[ *\d+s\] emitted [\d,]+ {2}acked [1-9]/m, 60_000);
      const workers = [...cli.stderr.matchAll(WORKER_PID)].map((m) => Number(m[2]));
      expect(workers).toHaveLength(2);
      // UrlBolt's tasks are python3 subprocesses of the workers.
      let subprocesses: number[] = [];
      await waitFor(() => (subprocesses = workers.flatMap(children).filter(isRunning)).length > 0, 'the multi-lang subprocesses');
      // The secret is random per run: any 64-hex-digit value the test's own environment does not have would be it.
      const ours = new Set(Object.values(process.env));
      for (const pid of [...workers, ...subprocesses]) {
        const variables = environ(pid);
        expect(variables.filter((v) => v.startsWith('TOPO_SECRET=')), `pid ${pid}`).toEqual([]);
        const secretLike = variables.filter((v) => /[0-9a-f]{64}/i.test(v) && !ours.has(v.slice(v.indexOf('=') + 1)));
        expect(secretLike, `pid ${pid}`).toEqual([]);
      }
    } finally {
      cli.child.kill('SIGINT');
    }
    const { code, stdout, stderr } = await cli.exited;
    expect(code, stderr).toBe(0);
    expect(Number(stdout.match(/^summary: .*\backed (\d+)\b/m)?.[1])).toBeGreaterThan(0);
  });
});
