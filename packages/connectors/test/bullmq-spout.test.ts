import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { BasicBolt, Bolt, Topology, type Tuple } from '@topo/topology-dsl';
import { LocalCluster, startTestRedis } from '@topo/runtime';
import { BullMQSpout, DEFAULT_MAX_HELD_JOBS } from '@topo/connectors';
import { flakyBolt } from './support/flaky-bolt.js';
import { logCapture } from './support/log-capture.js';
import { jobsFinished } from './support/jobs-finished.js';
import { redisPerFile } from './support/redis-per-file.js';
import { waitFor } from '@topo/runtime';

const redis = redisPerFile();
const cluster = new LocalCluster();

afterAll(async () => {
  await cluster.shutdown();
});

async function filledQueue(name: string, total: number, opts: { attempts?: number } = {}): Promise<Queue> {
  const queue = new Queue(name, { connection: redis.client });
  for (let n = 0; n < total; n += 1000) {
    await queue.addBulk(Array.from({ length: Math.min(1000, total - n) }, (_, i) => ({ name: 'number', data: { n: n + i, word: `w${n + i}` }, opts })));
  }
  return queue;
}

const range = (total: number) => Array.from({ length: total }, (_, n) => n);

describe('BullMQSpout', () => {
  it('turns every job into one tuple and completes each job once its tree is acked', async () => {
    const total = 3000;
    const queue = await filledQueue('happy', total);
    const seen: number[] = [];
    class Record extends BasicBolt {
      process(tuple: Tuple): void {
        seen.push(tuple.get('n') as number);
      }
    }
    class Happy extends Topology {
      jobs = BullMQSpout.spec({ queue: 'happy', connection: redis.url, fields: ['n'], p: 2 });
      record = Record.spec({ p: 2, input: this.jobs.shuffle() });
    }
    await cluster.submit(Happy, { logger: () => {} });
    await waitFor(async () => (await queue.getCompletedCount()) === total, 'every job completed');
    await cluster.kill('Happy');
    expect(seen.length).toBe(total);
    expect([...seen].sort((a, b) => a - b)).toStrictEqual(range(total));
    expect(await queue.getJobCounts('failed', 'active', 'wait', 'delayed')).toStrictEqual({ failed: 0, active: 0, wait: 0, delayed: 0 });
  });

  it('emits id, name and data by default, with the job id as the message id', async () => {
    const queue = await filledQueue('whole-jobs', 3);
    const tuples: unknown[][] = [];
    class Record extends BasicBolt {
      process(tuple: Tuple): void {
        tuples.push([...tuple.values]);
      }
    }
    class WholeJobs extends Topology {
      jobs = BullMQSpout.spec({ queue: 'whole-jobs', connection: redis.url });
      record = Record.spec({ input: this.jobs.fields('id') });
    }
    await cluster.submit(WholeJobs, { logger: () => {} });
    await waitFor(async () => (await queue.getCompletedCount()) === 3, 'every job completed');
    await cluster.kill('WholeJobs');
    const jobs = await queue.getJobs(['completed']);
    expect(tuples.sort((a, b) => Number(a[0]) - Number(b[0]))).toStrictEqual(
      jobs.map((job) => [job.id, 'number', job.data]).sort((a, b) => Number(a[0]) - Number(b[0])),
    );
  });

  it('fails the attempt of a failed tree, so that BullMQ retries it with the job\'s own attempts', async () => {
    const total = 600;
    const attempts = 3;
    const queue = await filledQueue('flaky', total, { attempts });
    const { Flaky, record } = flakyBolt<number>(7, 'n');
    class FlakyJobs extends Topology {
      jobs = BullMQSpout.spec({ queue: 'flaky', connection: redis.url, fields: ['n'], p: 2 });
      flaky = Flaky.spec({ p: 2, input: this.jobs });
    }
    await cluster.submit(FlakyJobs, { logger: () => {} });
    await jobsFinished(queue, total);
    await cluster.kill('FlakyJobs');

    const completed = await queue.getJobs(['completed'], 0, -1);
    const failed = await queue.getJobs(['failed'], 0, -1);
    expect(completed.length + failed.length).toBe(total);
    expect(record.failures).toBeGreaterThan(0);
    // A job completes on its first successful tree, so each succeeded exactly once.
    expect([...record.succeeded].sort((a, b) => a - b)).toStrictEqual(completed.map((j) => j.data.n as number).sort((a, b) => a - b));
    expect(completed.some((job) => job.attemptsMade > 1)).toBe(true);
    for (const job of failed) {
      expect(job.attemptsMade).toBe(attempts);
      expect(job.failedReason).toMatch(/tuple tree of job .* failed in topology/);
    }
  });

  it('replays a job whose tree timed out without spending an attempt', async () => {
    const total = 100;
    // BullMQ's default of one attempt: a timeout that spent it would fail the job for good.
    const queue = await filledQueue('forgotten', total);
    const deliveries = new Map<number, number>();
    /** Ignores the first delivery of every job (its tree times out), acks the second. */
    class Forgetful extends Bolt {
      process(tuple: Tuple): void {
        const n = tuple.get('n') as number;
        const seen = (deliveries.get(n) ?? 0) + 1;
        deliveries.set(n, seen);
        if (seen === 2) this.ack(tuple);
      }
    }
    class Forgotten extends Topology {
      static config = { 'topology.message.timeout.secs': 1 };
      jobs = BullMQSpout.spec({ queue: 'forgotten', connection: redis.url, fields: ['n'] });
      forgetful = Forgetful.spec({ input: this.jobs });
    }
    await cluster.submit(Forgotten, { logger: () => {} });
    await jobsFinished(queue, total);
    await cluster.kill('Forgotten');
    expect(await queue.getFailedCount()).toBe(0);
    expect([...deliveries.values()].every((d) => d === 2)).toBe(true);
    // One attempt made per job: the one that completed.
    for (const job of await queue.getJobs(['completed'], 0, -1)) expect(job.attemptsMade).toBe(1);
  });

  /** Fills a queue, lets a bolt hold every tuple, and checks the spout stopped fetching at `limit` jobs. */
  async function expectHeldAtMost(name: string, limit: number, config: Record<string, number>): Promise<void> {
    const total = limit + 300;
    const queue = await filledQueue(name, total);
    let holder: Hold | undefined;
    class Hold extends Bolt {
      readonly held: Tuple[] = [];
      private releasing = false;
      prepare(): void {
        holder = this;
      }
      process(tuple: Tuple): void {
        if (this.releasing) this.ack(tuple);
        else this.held.push(tuple);
      }
      release(): void {
        this.releasing = true;
        for (const tuple of this.held) this.ack(tuple);
      }
    }
    class Bounded extends Topology {
      static config = config;
      jobs = BullMQSpout.spec({ queue: name, connection: redis.url, fields: ['n'] });
      hold = Hold.spec({ input: this.jobs });
    }
    await cluster.submit(Bounded, { logger: () => {} });
    await waitFor(() => holder?.held.length === limit, `the bolt holding ${limit} tuples`);
    // An unbounded spout would have fetched another burst of 100 before emitting its last tuple.
    expect(await queue.getActiveCount()).toBeLessThanOrEqual(limit);
    expect(await queue.getWaitingCount()).toBeGreaterThanOrEqual(total - limit);
    holder!.release();
    await waitFor(async () => (await queue.getCompletedCount()) === total, 'every job completed');
    await cluster.kill('Bounded');
  }

  it('emits a job as soon as a completion brings it, without waiting to be polled', async () => {
    // With hands full, the next job comes with a completion, outside any nextTuple call. A
    // spout that only found it when polled again would wait out the spout wait (an hour
    // here; the worker's 100 ms timeout sweep would poll it first): 2,000 jobs, 5 at a
    // time, would then take 20 s or more.
    const total = 2000;
    const queue = await filledQueue('awake', total);
    class Pass extends BasicBolt {
      process(): void {}
    }
    class Awake extends Topology {
      static config = { 'topology.max.spout.pending': 5, 'topology.spout.wait.progressive.level3.sleep.millis': 3_600_000 };
      jobs = BullMQSpout.spec({ queue: 'awake', connection: redis.url, fields: ['n'] });
      pass = Pass.spec({ input: this.jobs });
    }
    await cluster.submit(Awake, { logger: () => {} });
    await waitFor(async () => (await queue.getCompletedCount()) === total, 'every job completed', 10_000);
    await cluster.kill('Awake');
  });

  it('holds at most max spout pending jobs', async () => {
    await expectHeldAtMost('bounded', 50, { 'topology.max.spout.pending': 50 });
  });

  it(`holds at most ${DEFAULT_MAX_HELD_JOBS} jobs when max spout pending is unset`, async () => {
    await expectHeldAtMost('bounded-by-default', DEFAULT_MAX_HELD_JOBS, {});
  });

  it('keeps the locks of jobs whose trees take longer than the lock duration', async () => {
    const total = 20;
    const queue = await filledQueue('slow', total);
    const seen: number[] = [];
    class Slow extends Bolt {
      async process(tuple: Tuple): Promise<void> {
        seen.push(tuple.get('n') as number);
        await new Promise((resolve) => setTimeout(resolve, 1500));
        this.ack(tuple);
      }
    }
    class SlowJobs extends Topology {
      // Without renewal every lock would expire during processing, and BullMQ would hand the jobs out again.
      jobs = BullMQSpout.spec({ queue: 'slow', connection: redis.url, fields: ['n'], lockDurationMs: 400, stalledIntervalMs: 100 });
      slow = Slow.spec({ input: this.jobs, maxInFlight: total });
    }
    await cluster.submit(SlowJobs, { logger: () => {} });
    await waitFor(async () => (await queue.getCompletedCount()) === total, 'every job completed');
    await cluster.kill('SlowJobs');
    expect([...seen].sort((a, b) => a - b)).toStrictEqual(range(total));
    expect(await queue.getFailedCount()).toBe(0);
  });

  it('pauses while Redis is down, says so once, and loses nothing when it is back', async () => {
    const durable = await startTestRedis({ durable: true });
    const own = new Redis(durable.url, { maxRetriesPerRequest: null });
    const queue = new Queue('restart', { connection: own });
    const total = 3000;
    await queue.addBulk(range(total).map((n) => ({ name: 'number', data: { n } })));
    const seen = new Set<number>();
    class Record extends BasicBolt {
      process(tuple: Tuple): void {
        seen.add(tuple.get('n') as number);
      }
    }
    class Restart extends Topology {
      jobs = BullMQSpout.spec({ queue: 'restart', connection: durable.url, fields: ['n'] });
      record = Record.spec({ input: this.jobs });
    }
    const logs = logCapture();
    await cluster.submit(Restart, { logger: logs.logger });
    await waitFor(() => seen.size > total / 5, 'a fifth of the jobs processed');
    await durable.kill();
    await waitFor(() => logs.matching('jobs', /unreachable/).length > 0, 'the spout noticing');
    await durable.start();
    await waitFor(async () => (await queue.getCompletedCount().catch(() => 0)) === total, 'every job completed', 60_000);
    await cluster.kill('Restart');
    expect(seen.size).toBe(total);
    expect(await queue.getFailedCount()).toBe(0);
    expect(logs.matching('jobs', /unreachable/)).toHaveLength(1);
    expect(logs.matching('jobs', /reachable again/)).toHaveLength(1);
    await queue.close();
    own.disconnect();
    await durable.stop();
  });
});
