import { Queue, Worker as BullMQWorker } from 'bullmq';
import { Redis } from 'ioredis';
import { BullMQSpout, DEFAULT_MAX_HELD_JOBS, RedisStreamSpout } from '@topo/connectors';
import { startTestRedis, Worker, type TestRedisServer } from '@topo/runtime';
import { BasicBolt, TopoError, Topology, build } from '@topo/topology-dsl';
import { processCpuSeconds, processPeakRssMiB } from '../machine.js';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureWindow } from '../window.js';

const PART = 'connectors';
/** Jobs added per addBulk while filling the queue. */
const FILL_BATCH = 1000;
/** Entries one Lua call appends while filling the stream. */
const STREAM_FILL_BATCH = 50_000;
/** Rates no variant is expected to reach here; the backlog is sized from them so that it outlasts warm-up and window. */
const QUEUE_RATE_CEILING = 40_000;
const STREAM_RATE_CEILING = 300_000;
/** Plain worker concurrency, tuned: 100 and 1000 drained at the same rate on a quiet machine, 10 was about a third slower. */
const WORKER_CONCURRENCY = 100;
/** The stream spout's pending trees and read size, tuned: with 5000 pending, reads of 500 or 1000 gave about 110,000 entries/s, reads of 2000 about 160,000. */
const STREAM_MAX_PENDING = 5000;
const STREAM_READ_COUNT = 2000;

/** Does nothing and acks: what a topology costs around the source. */
class PassThrough extends BasicBolt {
  process(): void {}
}

/** Backlog that outlasts warm-up (1 s, or 0.1 s quick) and the window with room to spare. */
function backlog(ceiling: number, options: MeasureOptions): number {
  return Math.ceil(ceiling * (options.seconds + (options.quick ? 0.5 : 3)));
}

async function filledQueue(connection: Redis, options: MeasureOptions): Promise<Queue> {
  const queue = new Queue('bench', { connection });
  const total = backlog(QUEUE_RATE_CEILING, options);
  for (let n = 0; n < total; n += FILL_BATCH) {
    await queue.addBulk(Array.from({ length: FILL_BATCH }, (_, i) => ({ name: 'n', data: { n: n + i }, opts: { removeOnComplete: true } })));
  }
  return queue;
}

/** A measurement is void if the source ran dry inside the window: the rate would be the backlog's, not the consumer's. */
function assertBacklogLeft(left: number, what: string): void {
  if (left === 0) throw new TopoError(`the ${what} ran dry during the measurement; raise its backlog`);
}

async function bullmqSpout(options: MeasureOptions): Promise<Figures> {
  const redis = await startTestRedis();
  const url = redis.url;
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = await filledQueue(connection, options);
  class Drain extends Topology {
    jobs = BullMQSpout.spec({ queue: 'bench', connection: url, fields: ['n'] });
    pass = PassThrough.spec({ input: this.jobs });
  }
  const worker = new Worker(build(Drain), { logger: () => {} });
  await worker.start();
  const figures = await measureWindow(options, {
    completed: () => worker.metrics().find((m) => m.component === 'jobs')!.acked,
    helperCpuSeconds: () => processCpuSeconds(redis.pid),
  });
  assertBacklogLeft(await queue.getWaitingCount(), 'queue');
  await worker.stop();
  return finish(figures, redis, async () => {
    await queue.close();
    connection.disconnect();
  });
}

async function bullmqWorker(options: MeasureOptions): Promise<Figures> {
  const redis = await startTestRedis();
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = await filledQueue(connection, options);
  let completed = 0;
  const worker = new BullMQWorker('bench', async () => {}, { connection: connection.duplicate(), concurrency: WORKER_CONCURRENCY });
  // A job is done once BullMQ has recorded its completion in Redis, not when its processor returns.
  worker.on('completed', () => completed++);
  const figures = await measureWindow(options, { completed: () => completed, helperCpuSeconds: () => processCpuSeconds(redis.pid) });
  assertBacklogLeft(await queue.getWaitingCount(), 'queue');
  await worker.close();
  return finish(figures, redis, async () => {
    await queue.close();
    connection.disconnect();
  });
}

async function redisStreamSpout(options: MeasureOptions): Promise<Figures> {
  const redis = await startTestRedis();
  const url = redis.url;
  const client = new Redis(url);
  const total = backlog(STREAM_RATE_CEILING, options);
  // Appended by Redis itself: a client would need longer to fill the stream than the spout to drain it.
  for (let n = 0; n < total; n += STREAM_FILL_BATCH) {
    await client.eval("for i = 1, tonumber(ARGV[1]) do redis.call('XADD', KEYS[1], '*', 'n', i) end", 1, 'bench', Math.min(STREAM_FILL_BATCH, total - n));
  }
  class PassThroughTopology extends Topology {
    static config = { 'topology.max.spout.pending': STREAM_MAX_PENDING };
    entries = RedisStreamSpout.spec({ stream: 'bench', group: 'bench', connection: url, fields: ['n'], readCount: STREAM_READ_COUNT });
    pass = PassThrough.spec({ input: this.entries });
  }
  const worker = new Worker(build(PassThroughTopology), { logger: () => {} });
  await worker.start();
  const figures = await measureWindow(options, {
    completed: () => worker.metrics().find((m) => m.component === 'entries')!.acked,
    helperCpuSeconds: () => processCpuSeconds(redis.pid),
  });
  const [group] = (await client.xinfo('GROUPS', 'bench')) as unknown[][];
  assertBacklogLeft(Number(group[group.indexOf('lag') + 1]), 'stream');
  await worker.stop();
  return finish(figures, redis, async () => client.disconnect());
}

async function finish(figures: Figures, redis: TestRedisServer, close: () => Promise<void>): Promise<Figures> {
  await close();
  const redisRss = processPeakRssMiB(redis.pid);
  await redis.stop();
  return { ...figures, redisPeakRssMiB: redisRss };
}

export const connectors: BenchPart = {
  name: PART,
  description:
    "The connectors as sources, each against its own redis-server on this machine, from a backlog filled before the measurement: BullMQSpout beside a plain BullMQ Worker draining the same kind of queue (target: at least equal), and RedisStreamSpout through a pass-through topology (target: 100,000 entries/s acked).",
  reference: `${PART}/bullmq-spout`,
  targets: [{ subject: `${PART}/bullmq-spout`, peer: `${PART}/bullmq-worker`, atLeast: 1 }],
  variants: [
    {
      id: `${PART}/bullmq-spout`,
      description: `BullMQSpout -> a bolt that acks, in one process: a job completes when its tree is acked; max spout pending unset (${DEFAULT_MAX_HELD_JOBS} jobs held), completed jobs removed`,
      measure: bullmqSpout,
    },
    {
      id: `${PART}/bullmq-worker`,
      description: `a plain BullMQ Worker with an empty processor, concurrency ${WORKER_CONCURRENCY}, completed jobs removed`,
      measure: bullmqWorker,
    },
    {
      id: `${PART}/redis-stream-spout`,
      description: `RedisStreamSpout -> a bolt that acks, in one process: XREADGROUP of ${STREAM_READ_COUNT}, XACK once the tree is acked; max spout pending ${STREAM_MAX_PENDING}`,
      measure: redisStreamSpout,
    },
  ],
};
