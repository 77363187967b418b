import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortRange, startTestRedis, waitFor, type TestRedisServer } from '@topo/runtime';
import { repoRoot } from './cli-process.js';

let redis: TestRedisServer;
const dir = mkdtempSync(join(tmpdir(), 'topo-npx-daemons-'));
const started: number[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
});

afterAll(async () => {
  // Whatever a failed test left running: by pid, each one this file started.
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process in the group npx leads: npm, the shell it runs the command in, node. */
function processGroup(pgid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' });
  return out.split('\n').map((line) => Number(line.trim())).filter((pid) => pid > 0);
}

/** `npx topo <args>` from the repository root, as a user types it, leading a process group of its own. */
async function npxDaemon(args: string[], ready: RegExp): Promise<{ npm: ChildProcess; tree: number[]; stderr: () => string }> {
  const npm = spawn('npx', ['--yes', 'topo', ...args], { cwd: repoRoot, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  npm.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  await waitFor(() => ready.test(stderr) || npm.exitCode !== null, `${args[0]} ready`, 60_000, 50);
  expect(stderr).toMatch(ready);
  const tree = processGroup(npm.pid!);
  started.push(...tree);
  // npm, its shell and the daemon's node at least.
  expect(tree.length).toBeGreaterThanOrEqual(3);
  return { npm, tree, stderr: () => stderr };
}

describe.concurrent('daemons started through npx', () => {
  it('nimbus: every process exits when npm gets SIGTERM', async () => {
    const { npm, tree, stderr } = await npxDaemon(['nimbus', '--redis', redis.url, '--port', '0'], /nimbus \S+ listening on /);
    npm.kill('SIGTERM');
    await waitFor(() => tree.every((pid) => !alive(pid)), `every process of ${tree.join(', ')} to exit`, 30_000, 50);
    expect(stderr()).toMatch(/npm exited: stopping nimbus /);
  });

  it('supervisor: every process exits when npm gets SIGTERM', async () => {
    const host = '127.0.0.4';
    const args = ['supervisor', '--redis', redis.url, '--host', host, '--slots', '1', '--base-port', String(await freePortRange(host, 1)), '--dir', join(dir, host)];
    const { npm, tree, stderr } = await npxDaemon(args, /supervisor \S+ on /);
    npm.kill('SIGTERM');
    await waitFor(() => tree.every((pid) => !alive(pid)), `every process of ${tree.join(', ')} to exit`, 30_000, 50);
    expect(stderr()).toMatch(/npm exited: stopping supervisor /);
  });

  it('nimbus: every process exits on Ctrl-C, which a terminal sends to the whole process group', async () => {
    // SIGINT to npm alone reaches no further than the shell npm runs the command in, which
    // waits for its child; a terminal's Ctrl-C goes to every process in the foreground group.
    const { npm, tree, stderr } = await npxDaemon(['nimbus', '--redis', redis.url, '--port', '0'], /nimbus \S+ listening on /);
    process.kill(-npm.pid!, 'SIGINT');
    await waitFor(() => tree.every((pid) => !alive(pid)), `every process of ${tree.join(', ')} to exit`, 30_000, 50);
    expect(stderr()).toMatch(/SIGINT: stopping nimbus /);
  });
});
