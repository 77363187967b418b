import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { LocalWorkerPool, silentLogger } from '@topo/runtime';
import { jobsFinished } from './support/jobs-finished.js';
import { redisPerFile } from './support/redis-per-file.js';
import { waitFor } from '@topo/runtime';

const fixture = fileURLToPath(new URL('./fixtures/two-sources-topology.ts', import.meta.url));

const redis = redisPerFile();
let pool: LocalWorkerPool | undefined;

afterAll(async () => {
  await pool?.stop();
});

/** `source:n` of every entry in the output stream. */
async function processed(): Promise<Set<string>> {
  const entries = await redis.client.xrange('two-sources:processed', '-', '+');
  return new Set(entries.map(([, f]) => `${f[1]}:${f[3]}`));
}

describe('connectors across worker processes', () => {
  // Trees of the surviving worker's spouts lose tuples and acks in flight to the killed
  // one: they time out or are failed as lost, which must not spend the jobs' attempts
  // (BullMQ's default is one) nor count toward the entries' dead-letter limit.
  it('loses no job and no entry, and fails none, when a worker is SIGKILLed mid-run', async () => {
    const total = 10_000;
    const queue = new Queue('two-sources', { connection: redis.client });
    for (let n = 0; n < total; n += 1000) {
      await queue.addBulk(Array.from({ length: 1000 }, (_, i) => ({ name: 'n', data: { n: n + i } })));
    }
    const pipeline = redis.client.pipeline();
    for (let n = 0; n < total; n++) pipeline.xadd('two-sources', '*', 'n', String(n));
    await pipeline.exec();

    pool = await LocalWorkerPool.start({ topologyFile: fixture, workers: 2, config: { 'topo.redis.url': redis.url }, logger: silentLogger() });
    pool.activate();
    await waitFor(async () => (await redis.client.xlen('two-sources:processed')) > total / 2, 'a quarter of the work done', 60_000);
    const victim = pool.assignment.workers[0].id;
    const pid = pool.pids().get(victim)!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => pool!.restarts === 1 && pool!.pids().get(victim) !== undefined && pool!.pids().get(victim) !== pid, 'the worker restarted');
    await jobsFinished(queue, total, 90_000);
    const failed = { count: await queue.getFailedCount(), first: (await queue.getJobs(['failed'], 0, 2)).map((job) => `${job.id}: ${job.failedReason}`) };
    expect(failed).toEqual({ count: 0, first: [] });
    await waitFor(async () => ((await redis.client.xpending('two-sources', 'g')) as [number])[0] === 0 && (await processed()).size === 2 * total, 'every entry acked and processed', 90_000);

    expect(await redis.client.xlen('two-sources:dead-letter')).toBe(0);
    const done = await processed();
    for (let n = 0; n < total; n++) {
      expect(done.has(`jobs:${n}`)).toBe(true);
      expect(done.has(`entries:${n}`)).toBe(true);
    }
    await queue.close();
  }, 300_000);
});
