import { afterAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Spout, Topology } from '@topo/topology-dsl';
import { LocalCluster, startTestRedis } from '@topo/runtime';
import { BullMQBolt, RedisStreamBolt } from '@topo/connectors';
import { logCapture } from './support/log-capture.js';
import { redisPerFile } from './support/redis-per-file.js';
import { waitFor } from '@topo/runtime';

const redis = redisPerFile();
const cluster = new LocalCluster();

afterAll(async () => {
  await cluster.shutdown();
});

/** Emits `key, host, count` for n = 0..total-1, tracked, and counts its acks. */
function countsSpout(total: number) {
  const progress = { acked: 0, failed: 0 };
  class Counts extends Spout {
    static outputs = ['key', 'host', 'count'] as const;
    private n = 0;
    nextTuple(): void {
      if (this.n < total) {
        const n = this.n++;
        this.emit([`k${n}`, `host${n % 7}.example`, n], { msgId: n });
      }
    }
    ack(): void {
      progress.acked++;
    }
    fail(): void {
      progress.failed++;
    }
  }
  return { Counts, progress };
}

/** Calls of a Redis command so far, from INFO commandstats. */
async function commandCalls(command: string): Promise<number> {
  const info = await redis.client.info('commandstats');
  const match = info.match(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm'));
  return match === null ? 0 : Number(match[1]);
}

describe('BullMQBolt', () => {
  it('adds one job per tuple, in bulk, with the configured name, data and options', async () => {
    const total = 2000;
    const { Counts, progress } = countsSpout(total);
    class ToQueue extends Topology {
      counts = Counts.spec();
      jobs = BullMQBolt.spec({ queue: 'counts', connection: redis.url, jobName: 'count', idField: 'key', jobOptions: { attempts: 4 }, input: this.counts });
    }
    const transactionsBefore = await commandCalls('multi');
    await cluster.submit(ToQueue, { logger: () => {} });
    await waitFor(() => progress.acked === total, 'every tuple acked');
    await cluster.kill('ToQueue');
    const queue = new Queue('counts', { connection: redis.client });
    const jobs = await queue.getJobs(['wait'], 0, -1);
    expect(jobs.length).toBe(total);
    expect(jobs.map((job) => job.data.count as number).sort((a, b) => a - b)).toStrictEqual(Array.from({ length: total }, (_, n) => n));
    for (const job of jobs) {
      expect(job.name).toBe('count');
      expect(job.id).toBe(`k${job.data.count}`);
      expect(job.data.host).toBe(`host${job.data.count % 7}.example`);
      expect(job.opts.attempts).toBe(4);
    }
    // Tuples that arrived together went in one MULTI.
    expect((await commandCalls('multi')) - transactionsBefore).toBeLessThan(total / 10);
  });

  it('acks a tuple only once Redis has confirmed its job', async () => {
    const offline = await startTestRedis();
    await offline.kill();
    const total = 10;
    const { Counts, progress } = countsSpout(total);
    class WhileDown extends Topology {
      counts = Counts.spec();
      jobs = BullMQBolt.spec({ queue: 'later', connection: offline.url, input: this.counts });
    }
    const worker = await cluster.submit(WhileDown, { logger: () => {} });
    const sink = () => worker.metrics().find((m) => m.component === 'jobs')!;
    await waitFor(() => sink().executed === total, 'the bolt holding every tuple');
    expect(sink().acked).toBe(0);
    expect(progress.acked).toBe(0);
    await offline.start();
    await waitFor(() => progress.acked === total, 'every tuple acked once Redis is up');
    await cluster.kill('WhileDown');
    const own = new Redis(offline.url);
    expect(await new Queue('later', { connection: own }).getWaitingCount()).toBe(total);
    own.disconnect();
    await offline.stop();
  });
});

describe('RedisStreamBolt', () => {
  it('adds one entry per tuple, in one transaction per batch, trimmed with MAXLEN ~', async () => {
    const total = 5000;
    const { Counts, progress } = countsSpout(total);
    class ToStream extends Topology {
      counts = Counts.spec();
      entries = RedisStreamBolt.spec({ stream: 'counts', connection: redis.url, maxLen: 1000, input: this.counts });
    }
    const execsBefore = await commandCalls('exec');
    const addsBefore = await commandCalls('xadd');
    await cluster.submit(ToStream, { logger: () => {} });
    await waitFor(() => progress.acked === total, 'every tuple acked');
    await cluster.kill('ToStream');
    expect((await commandCalls('xadd')) - addsBefore).toBe(total);
    expect((await commandCalls('exec')) - execsBefore).toBeLessThan(total / 10);
    // MAXLEN ~ trims whole nodes, so about 1000 remain; the newest always do.
    const length = await redis.client.xlen('counts');
    expect(length).toBeGreaterThanOrEqual(1000);
    expect(length).toBeLessThan(total);
    const [[, last]] = await redis.client.xrevrange('counts', '+', '-', 'COUNT', 1);
    expect(last).toStrictEqual(['key', `k${total - 1}`, 'host', `host${(total - 1) % 7}.example`, 'count', String(total - 1)]);
  });

  it('fails the tuples of a batch Redis rejected, and reports the error once per batch', async () => {
    await redis.client.set('not-a-stream', 'a string');
    const total = 200;
    const { Counts, progress } = countsSpout(total);
    class Rejected extends Topology {
      counts = Counts.spec();
      entries = RedisStreamBolt.spec({ stream: 'not-a-stream', connection: redis.url, input: this.counts });
    }
    const errors: unknown[] = [];
    await cluster.submit(Rejected, { logger: () => {}, observer: { error: (_component, _task, error) => errors.push(error) } });
    await waitFor(() => progress.failed === total, 'every tuple failed');
    await cluster.kill('Rejected');
    expect(progress.acked).toBe(0);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThan(total);
    expect(String(errors[0])).toMatch(/WRONGTYPE/);
  });

  it('writes strings as they are and other values as JSON', async () => {
    class Mixed extends Spout {
      static outputs = ['text', 'number', 'object', 'missing'] as const;
      private done = false;
      nextTuple(): void {
        if (this.done) return;
        this.done = true;
        this.emit(['plain "text"', 42, { a: [1, 2] }, null], { msgId: 1 });
      }
    }
    class Values extends Topology {
      mixed = Mixed.spec();
      entries = RedisStreamBolt.spec({ stream: 'values', connection: redis.url, input: this.mixed });
    }
    const worker = await cluster.submit(Values, { logger: () => {} });
    await waitFor(() => worker.metrics().find((m) => m.component === 'mixed')!.acked === 1, 'the tuple acked');
    await cluster.kill('Values');
    const [[, fields]] = await redis.client.xrange('values', '-', '+');
    expect(fields).toStrictEqual(['text', 'plain "text"', 'number', '42', 'object', '{"a":[1,2]}', 'missing', 'null']);
  });
});

describe('sinks while Redis dies under load', () => {
  it('hold the inputs of writes aborted by the connection closing, and write them once Redis is back: none failed, none lost, no error logged', async () => {
    const durable = await startTestRedis({ durable: true });
    const total = 20_000;
    const { Counts, progress } = countsSpout(total);
    class Outage extends Topology {
      static config = { 'topology.max.spout.pending': 2000 };
      counts = Counts.spec();
      entries = RedisStreamBolt.spec({ stream: 'outage', connection: durable.url, p: 2, input: this.counts });
      jobs = BullMQBolt.spec({ queue: 'outage', connection: durable.url, idField: 'key', p: 2, input: this.counts });
    }
    const logs = logCapture();
    const worker = await cluster.submit(Outage, { logger: logs.logger });
    const sinks = () => worker.metrics().filter((m) => m.component === 'entries' || m.component === 'jobs');
    const sinkFailures = () => sinks().reduce((n, m) => n + m.failed, 0);
    await waitFor(() => progress.acked > total / 10, 'a tenth of the tuples written');
    // Paused for writes, Redis still answers MULTI and queues each command, then holds
    // EXEC: dying then, it leaves both sinks with transactions half answered, which the
    // client aborts ("Command aborted due to connection close"), as a Redis killed under
    // load does to some of its writes.
    const admin = new Redis(durable.url);
    await admin.client('PAUSE', 60_000, 'WRITE');
    await waitFor(() => sinks().length === 2 && sinks().every((m) => m.executed > m.acked + m.failed), 'both sinks waiting for a write');
    admin.disconnect();
    await durable.kill();
    await waitFor(() => logs.matching('entries', /unreachable/).length > 0 && logs.matching('jobs', /unreachable/).length > 0, 'both sinks noticing');
    await durable.start();
    await waitFor(() => progress.acked + progress.failed === total, 'every tuple acked or failed', 60_000);
    await cluster.kill('Outage');

    expect({ failed: progress.failed, sinkFailures: sinkFailures() }).toEqual({ failed: 0, sinkFailures: 0 });
    expect(logs.records.filter((r) => r.level === 'error').map((r) => `${r.component}: ${r.message}`)).toEqual([]);
    const own = new Redis(durable.url);
    // At least once: a write whose reply was lost may be in Redis twice, but every tuple is there.
    const written = new Set((await own.xrange('outage', '-', '+')).map(([, fields]) => fields[1]));
    expect(written.size).toBe(total);
    expect(await new Queue('outage', { connection: own }).getWaitingCount()).toBe(total);
    own.disconnect();
    await durable.stop();
  });
});
