import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { scaledMs, startTestRedis, type TestRedisServer } from '@topo/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_URLS_FILE } from '../src/file-url-source.js';
import { parseUrl } from '../src/parse-url.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const topo = fileURLToPath(new URL('../../../bin/topo.js', import.meta.url));

/** `topo <args>` from the repository root, as the README has it; resolves with its exit code and output once it exits. */
function runTopo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [topo, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let server: TestRedisServer;
beforeAll(async () => {
  server = await startTestRedis();
});
afterAll(() => server?.stop());

describe('topology-trending.ts through topo run', () => {
  it('one pass over the bundled file with a 2 s window sliding every 0.5 s: the running totals in Redis are each host\'s URLs', async () => {
    const expected: Record<string, number> = {};
    for (const line of readFileSync(BUNDLED_URLS_FILE, 'utf8').split('\n')) {
      const parsed = line.trim() === '' ? undefined : parseUrl(line);
      if (parsed?.valid === true) expected[parsed.host] = (expected[parsed.host] ?? 0) + 1;
    }
    const run = await runTopo([
      'run',
      'examples/url-parser/topology-trending.ts',
      '--config',
      `topo.redis.url=${server.url}`,
      '--config',
      'urlparser.loop=false',
      '--config',
      'topology.bolts.window.length.duration.ms=2000',
      '--config',
      'topology.bolts.window.sliding.interval.duration.ms=500',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    // It ended by itself: the file read once, every URL out of its window and committed.
    const summary = JSON.parse(run.stdout) as { stopped: string; acked: number; failed: number };
    expect(summary).toMatchObject({ stopped: 'finished', failed: 0 });
    expect(run.stderr).toMatch(/^\S+ INFO \[trending:\d+\] (\(worker-\d+\) )?trending until \S+Z: [^=\s]+=\d+/m);
    expect(run.stderr).toMatch(/^\S+ INFO \[hostTotals:\d+\] (\(worker-\d+\) )?totals, top 10 of \d+ hosts: /m);

    const redis = new Redis(server.url);
    try {
      const keys = (await redis.keys('topo:state:TrendingHosts:hostTotals-*')).filter((key) => !key.includes('$'));
      expect(keys).toHaveLength(2);
      const totals: Record<string, number> = {};
      for (const key of keys) for (const [host, total] of Object.entries(await redis.hgetall(key))) totals[host] = JSON.parse(total) as number;
      expect(totals).toEqual(expected);
    } finally {
      redis.disconnect();
    }
  }, scaledMs(120_000));
});
