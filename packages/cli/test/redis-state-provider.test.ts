import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { freePort, startTestRedis, stopAllTestRedis } from '@topo/runtime';
import { fixture, runCli } from './cli-process.js';

const FIXTURE = fixture('redis-state-count.ts');

afterAll(() => stopAllTestRedis());

describe('topo run of a stateful topology with topology.state.provider redis', () => {
  it('refuses to start when Redis cannot be reached, naming the key, the value and the cause, in this process and in worker processes', async () => {
    const port = await freePort();
    const runs = await Promise.all([1, 2].map((workers) => runCli('run', FIXTURE, '--workers', String(workers), '--config', `topo.redis.url=redis://127.0.0.1:${port}`)));
    for (const { code, stderr } of runs) {
      expect(code).toBe(1);
      expect(stderr).toMatch(
        // Whichever executor of the worker that failed first loaded the provider: the checkpoint spout (in its open()) or a stateful bolt.
        new RegExp(
          `^error: could not start RedisStateCount: (?:worker worker-00\\d: )?(?:\\$checkpointspout \\(task \\d+\\): open\\(\\) failed: )?topology\\.state\\.provider redis: cannot reach redis://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)$`,
          'm',
        ),
      );
    }
  });

  it('commits the counts into the task hash under topo:state:<topology>:, beside the checkpoint spout record', async () => {
    const server = await startTestRedis();
    const client = new Redis(server.url);
    try {
      const { code, stderr } = await runCli('run', FIXTURE, '--workers', '2', '--config', `topo.redis.url=${server.url}`);
      expect(code, stderr).toBe(0);
      const keys = (await client.keys('topo:state:RedisStateCount:*')).sort();
      const countKey = keys.find((key) => /^topo:state:RedisStateCount:count-\d+$/.test(key))!;
      expect(keys).toEqual([countKey, `${countKey}$txid`, 'topo:state:RedisStateCount:$checkpointspout-1'].sort());
      expect(await client.hgetall(countKey)).toEqual({ apple: '1', bean: '1', cherry: '1' });
      // The run can end with the next checkpoint prepared (no changes: no prepare hash) and not yet committed.
      const txids = await client.hgetall(`${countKey}$txid`);
      expect(Number(txids.commit)).toBeGreaterThanOrEqual(0);
      expect(Number(txids.prepare)).toBeGreaterThanOrEqual(Number(txids.commit));
    } finally {
      client.disconnect();
    }
  });
});
