import { LatencyHistogram, startTestRedis } from '@topo/runtime';
import { Queue, Worker, type Job } from 'bullmq';
import { latencyFigures } from '../../latency-figures.js';
import { processCpuSeconds, processPeakRssMiB } from '../../machine.js';
import type { Figures, MeasureOptions } from '../../part.js';
import { loadUrls } from '../../url-list.js';
import { countKey, countOne } from '../../url-work.js';
import { measureWindow } from '../../window.js';
import { InflightWindow } from './inflight-window.js';

/** Jobs added per addBulk call. */
const PRODUCER_BATCH = 100;

interface ParseJob {
  url: string;
  /** When the producer added the job (performance.now() in this process). */
  sentAt: number;
}

interface CountJob {
  key: string;
  sentAt: number;
}

/**
 * The pipeline as a BullMQ user builds it: a `parse` queue and a `count` queue, each with
 * a worker of `concurrency` in this process. A parse job completes only once its count
 * job is added, so a crash between the two replays the parse (at-least-once). Completed
 * jobs are removed, as anyone running BullMQ at rate does; failed ones are kept.
 */
export async function bullmqPipeline(concurrency: number, window: number, options: MeasureOptions): Promise<Figures> {
  const redis = await startTestRedis();
  const connection = { host: '127.0.0.1', port: redis.port };
  const urls = loadUrls();
  const counts = new Map<string, number>();
  const latency = new LatencyHistogram();
  const inflight = new InflightWindow(window);
  const jobOptions = { removeOnComplete: true };
  let completed = 0;

  const parseQueue = new Queue<ParseJob>('parse', { connection });
  const countQueue = new Queue<CountJob>('count', { connection });
  const parseWorker = new Worker<ParseJob>(
    'parse',
    async (job: Job<ParseJob>) => {
      await countQueue.add('count', { key: countKey(job.data.url), sentAt: job.data.sentAt }, jobOptions);
    },
    { connection, concurrency },
  );
  const countWorker = new Worker<CountJob>(
    'count',
    async (job: Job<CountJob>) => {
      countOne(counts, job.data.key);
    },
    { connection, concurrency },
  );
  // A job is done once BullMQ has recorded its completion in Redis, not when its processor returns.
  countWorker.on('completed', (job: Job<CountJob>) => {
    latency.record((performance.now() - job.data.sentAt) * 1000);
    completed++;
    inflight.done(1);
  });

  const producer = (async () => {
    let next = 0;
    for (let n = await inflight.room(PRODUCER_BATCH); n > 0; n = await inflight.room(PRODUCER_BATCH)) {
      inflight.sent(n);
      const sentAt = performance.now();
      const jobs = [];
      for (let i = 0; i < n; i++, next = (next + 1) % urls.length) jobs.push({ name: 'parse', data: { url: urls[next], sentAt }, opts: jobOptions });
      await parseQueue.addBulk(jobs);
    }
  })();

  const figures = await measureWindow(options, {
    completed: () => completed,
    windowOpened: () => latency.reset(),
    helperCpuSeconds: () => processCpuSeconds(redis.pid),
  });
  inflight.close();
  await producer;
  // Unforced, so a parse job in progress finishes adding its count job before the queues close.
  await Promise.all([parseWorker.close(), countWorker.close()]);
  await Promise.all([parseQueue.close(), countQueue.close()]);
  const redisRss = processPeakRssMiB(redis.pid);
  await redis.stop();
  return { ...figures, ...latencyFigures(latency), redisPeakRssMiB: redisRss };
}
