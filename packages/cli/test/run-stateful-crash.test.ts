import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scaledMs, startTestRedis, waitFor, type TestRedisServer } from '@topo/runtime';
import { CliProcess, fixture, runCli, type CliResult } from './cli-process.js';
import { committedState, total } from './committed-counts.js';
import { TRUE_COUNTS } from './fixtures/stateful-word-count.js';

const INPUT_WORDS = Object.values(TRUE_COUNTS).reduce((a, b) => a + b, 0);
const FIRST_WORKER = /worker (worker-\d+) \(pid (\d+)\) listening/;

let server: TestRedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

/**
 * `topo run <export of stateful-word-count.ts> --workers 2` with its state under
 * `keyPrefix`; once a fifth of the input's words are committed in Redis (well before the
 * end), SIGKILLs the first worker process and waits for the pool to start it again. The
 * run then ends by itself when the finite spout is done and nothing is pending.
 */
async function runKillingAWorker(keyPrefix: string, exportName: string): Promise<CliResult & { committedAtKill: number }> {
  const cli = new CliProcess([
    'run',
    fixture('stateful-word-count.ts'),
    '--topology',
    exportName,
    '--workers',
    '2',
    '--json',
    '--log-level',
    'info',
    '--config',
    `topology.state.provider.config=${JSON.stringify({ url: server.url, keyPrefix })}`,
  ]);
  let committedAtKill = 0;
  try {
    const [, workerId, pid] = await cli.waitFor('stderr', FIRST_WORKER, 60_000);
    await waitFor(async () => (committedAtKill = total(await committedState(redis, 'count', keyPrefix))) >= INPUT_WORDS / 5, 'a fifth of the words committed', 60_000, 20);
    process.kill(Number(pid), 'SIGKILL');
    await cli.waitFor('stderr', new RegExp(`worker ${workerId} \\(pid (?!${pid}\\))\\d+\\) listening`), 60_000);
  } catch (error) {
    cli.child.kill('SIGKILL');
    throw error;
  }
  return { ...(await cli.exited), committedAtKill };
}

describe('a stateful word count over a fixed input, a worker SIGKILLed mid-run (topo run --workers 2, Redis state)', () => {
  it('with a rewindable spout: the committed counts are exactly the input\'s', async () => {
    const run = await runKillingAWorker('exact:', 'StatefulWordCount');
    expect(run.code, run.stderr).toBe(0);
    expect(run.committedAtKill).toBeLessThan(INPUT_WORDS);
    expect(JSON.parse(run.stdout)).toMatchObject({ stopped: 'finished' });
    // The recovery went through a checkpoint: the spout went back to a committed position, not to the start.
    expect(run.stderr).toMatch(/\[sentences:\d+\] \(worker-\d+\) rewound to sentence [1-9]\d*$/m);
    expect(Object.fromEntries(await committedState(redis, 'count', 'exact:'))).toEqual(TRUE_COUNTS);
  }, scaledMs(180_000));

  it('with a spout that cannot rewind: every count at least the input\'s, as Storm promises', async () => {
    const run = await runKillingAWorker('at-least:', 'AtLeastOnceWordCount');
    expect(run.code, run.stderr).toBe(0);
    expect(run.committedAtKill).toBeLessThan(INPUT_WORDS);
    expect(JSON.parse(run.stdout)).toMatchObject({ stopped: 'finished' });
    const counts = await committedState(redis, 'count', 'at-least:');
    expect([...counts.keys()].sort()).toEqual(Object.keys(TRUE_COUNTS).sort());
    for (const [word, count] of counts) expect(count, word).toBeGreaterThanOrEqual(TRUE_COUNTS[word]);
  }, scaledMs(180_000));

  it('topo check names the mode of each: exactly-once with the rewindable spout, at-least-once and why without', async () => {
    const exact = await runCli('check', fixture('stateful-word-count.ts'), '--topology', 'StatefulWordCount');
    expect(exact.code, exact.stderr).toBe(0);
    expect(exact.stdout).toMatch(/exactly-once/);
    expect(exact.stdout).not.toMatch(/at-least-once/);
    const atLeast = await runCli('check', fixture('stateful-word-count.ts'), '--topology', 'AtLeastOnceWordCount');
    expect(atLeast.code, atLeast.stderr).toBe(0);
    expect(atLeast.stdout).toMatch(/at-least-once/);
    expect(atLeast.stdout).toMatch(/spout sentences .*not rewindable/);
  });
});
