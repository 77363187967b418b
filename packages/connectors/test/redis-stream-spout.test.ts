import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { BasicBolt, Bolt, Topology, type Tuple } from '@topo/topology-dsl';
import { LocalCluster, startTestRedis } from '@topo/runtime';
import { RedisStreamSpout } from '@topo/connectors';
import { flakyBolt } from './support/flaky-bolt.js';
import { logCapture } from './support/log-capture.js';
import { redisPerFile } from './support/redis-per-file.js';
import { waitFor } from '@topo/runtime';

const redis = redisPerFile();
const cluster = new LocalCluster();

afterAll(async () => {
  await cluster.shutdown();
});

const range = (total: number) => Array.from({ length: total }, (_, n) => n);

/** Appends entries `n=0..total-1` (with a word each) and returns their ids in order. */
async function addEntries(to: Redis, stream: string, total: number): Promise<string[]> {
  const pipeline = to.pipeline();
  for (const n of range(total)) pipeline.xadd(stream, '*', 'n', String(n), 'word', `w${n}`);
  return ((await pipeline.exec()) ?? []).map(([, id]) => id as string);
}

/** Entries delivered to the group and not acked yet. */
async function pendingCount(stream: string, group: string, via: Redis = redis.client): Promise<number> {
  const summary = (await via.xpending(stream, group)) as [number, ...unknown[]];
  return summary[0];
}

function recordingBolt(seen: number[]) {
  return class Record extends BasicBolt {
    process(tuple: Tuple): void {
      seen.push(Number(tuple.get('n')));
    }
  };
}

describe('RedisStreamSpout', () => {
  it('creates the group, turns every entry into one tuple and acks it once its tree is acked', async () => {
    const total = 5000;
    await addEntries(redis.client, 'happy', total);
    const seen: number[] = [];
    const Record = recordingBolt(seen);
    class Happy extends Topology {
      entries = RedisStreamSpout.spec({ stream: 'happy', group: 'counters', connection: redis.url, fields: ['n'], p: 2 });
      record = Record.spec({ p: 2, input: this.entries });
    }
    await cluster.submit(Happy, { logger: () => {} });
    await waitFor(async () => seen.length >= total && (await pendingCount('happy', 'counters')) === 0, 'every entry processed and acked');
    await cluster.kill('Happy');
    expect(seen.length).toBe(total);
    expect([...seen].sort((a, b) => a - b)).toStrictEqual(range(total));
  });

  it('reads and emits as soon as its trees are acked, without waiting to be polled', async () => {
    // With an hour's spout wait, a spout that returned from nextTuple empty-handed while
    // entries were on their way would be polled again only by the worker's 100 ms timeout
    // sweep: 2,000 entries, 5 at a time, would then take 20 s or more.
    const total = 2000;
    await addEntries(redis.client, 'awake', total);
    const seen: number[] = [];
    const Record = recordingBolt(seen);
    class Awake extends Topology {
      static config = { 'topology.max.spout.pending': 5, 'topology.spout.wait.progressive.level3.sleep.millis': 3_600_000 };
      entries = RedisStreamSpout.spec({ stream: 'awake', group: 'counters', connection: redis.url, fields: ['n'] });
      record = Record.spec({ input: this.entries });
    }
    await cluster.submit(Awake, { logger: () => {} });
    await waitFor(async () => seen.length >= total && (await pendingCount('awake', 'counters')) === 0, 'every entry processed and acked', 10_000);
    await cluster.kill('Awake');
  });

  it('emits id and entry by default, with the entry id as the message id', async () => {
    const ids = await addEntries(redis.client, 'whole', 3);
    const tuples: unknown[][] = [];
    class Record extends BasicBolt {
      process(tuple: Tuple): void {
        tuples.push([...tuple.values]);
      }
    }
    class Whole extends Topology {
      entries = RedisStreamSpout.spec({ stream: 'whole', group: 'g', connection: redis.url });
      record = Record.spec({ input: this.entries.fields('id') });
    }
    await cluster.submit(Whole, { logger: () => {} });
    await waitFor(async () => tuples.length === 3 && (await pendingCount('whole', 'g')) === 0, 'every entry acked');
    await cluster.kill('Whole');
    expect(tuples.sort()).toStrictEqual(ids.map((id, n) => [id, { n: String(n), word: `w${n}` }]).sort());
  });

  it('re-emits failed entries and dead-letters the ones that failed maxDeliveries times: none lost', async () => {
    const total = 600;
    const maxDeliveries = 3;
    const ids = await addEntries(redis.client, 'flaky', total);
    const { Flaky, record } = flakyBolt<string>(11, 'id');
    class FlakyEntries extends Topology {
      entries = RedisStreamSpout.spec({ stream: 'flaky', group: 'g', connection: redis.url, maxDeliveries, p: 2 });
      flaky = Flaky.spec({ p: 2, input: this.entries });
    }
    await cluster.submit(FlakyEntries, { logger: () => {} });
    const deadLetters = async () => (await redis.client.xrange('flaky:dead-letter', '-', '+')).map(([, fields]) => Object.fromEntries(fieldPairs(fields)));
    await waitFor(
      async () => record.succeeded.length + (await redis.client.xlen('flaky:dead-letter')) >= total && (await pendingCount('flaky', 'g')) === 0,
      'every entry acked or dead-lettered',
    );
    await cluster.kill('FlakyEntries');

    const dead = await deadLetters();
    expect(record.failures).toBeGreaterThan(0);
    expect(new Set(record.succeeded).size).toBe(record.succeeded.length);
    expect([...record.succeeded, ...dead.map((d) => d['topo.source.id'])].sort()).toStrictEqual([...ids].sort());
    for (const letter of dead) {
      expect(letter['topo.deliveries']).toBe(String(maxDeliveries));
      expect(letter['topo.error']).toMatch(/tuple tree failed on each of 3 deliveries/);
      expect(letter.word).toBe(`w${letter.n}`);
    }
  });

  it('replays entries whose trees timed out without counting a delivery: none dead-lettered even at maxDeliveries 1', async () => {
    const total = 50;
    await addEntries(redis.client, 'forgotten', total);
    const deliveries = new Map<number, number>();
    /** Ignores the first two deliveries of every entry (its tree times out), acks the third. */
    class Forgetful extends Bolt {
      process(tuple: Tuple): void {
        const n = Number(tuple.get('n'));
        const seen = (deliveries.get(n) ?? 0) + 1;
        deliveries.set(n, seen);
        if (seen === 3) this.ack(tuple);
      }
    }
    class Forgotten extends Topology {
      static config = { 'topology.message.timeout.secs': 1 };
      entries = RedisStreamSpout.spec({ stream: 'forgotten', group: 'g', connection: redis.url, fields: ['n'], maxDeliveries: 1 });
      forgetful = Forgetful.spec({ input: this.entries });
    }
    await cluster.submit(Forgotten, { logger: () => {} });
    await waitFor(async () => deliveries.size === total && [...deliveries.values()].every((d) => d >= 3) && (await pendingCount('forgotten', 'g')) === 0, 'every entry acked on its third emit');
    await cluster.kill('Forgotten');
    expect(await redis.client.xlen('forgotten:dead-letter')).toBe(0);
    expect([...deliveries.values()].every((d) => d === 3)).toBe(true);
  });

  it('emits a failed entry again at once on a quiet stream, without waiting for the blocking read of new entries', async () => {
    await addEntries(redis.client, 'quiet', 1);
    const failures = 3;
    let deliveries = 0;
    /** Fails the entry `failures` times, then acks it. */
    class Stubborn extends Bolt {
      process(tuple: Tuple): void {
        if (++deliveries <= failures) this.fail(tuple);
        else this.ack(tuple);
      }
    }
    class Quiet extends Topology {
      // A retry that waited for the read of new entries to return would wait ten minutes.
      entries = RedisStreamSpout.spec({ stream: 'quiet', group: 'g', connection: redis.url, fields: ['n'], blockMs: 600_000, maxDeliveries: failures + 1 });
      stubborn = Stubborn.spec({ input: this.entries });
    }
    await cluster.submit(Quiet, { logger: () => {} });
    await waitFor(async () => deliveries === failures + 1 && (await pendingCount('quiet', 'g')) === 0, 'the entry acked after its retries', 30_000);
    await cluster.kill('Quiet');
    expect(deliveries).toBe(failures + 1);
    expect(await redis.client.xlen('quiet:dead-letter')).toBe(0);
  });

  it('re-reads its own pending entries first when it starts again', async () => {
    const total = 200;
    await addEntries(redis.client, 'resume', total);
    const held: Tuple[] = [];
    class Hold extends Bolt {
      process(tuple: Tuple): void {
        held.push(tuple);
      }
    }
    class Resume extends Topology {
      entries = RedisStreamSpout.spec({ stream: 'resume', group: 'g', connection: redis.url, fields: ['n'] });
      sink = Hold.spec({ input: this.entries });
    }
    await cluster.submit(Resume, { logger: () => {} });
    await waitFor(() => held.length === total, 'every entry delivered and held');
    await cluster.kill('Resume');
    expect(await pendingCount('resume', 'g')).toBe(total);

    // Delivered once already, so a read of new entries would never return them again.
    const seen: number[] = [];
    const Record = recordingBolt(seen);
    class Resumed extends Topology {
      static topologyName = 'Resume';
      entries = RedisStreamSpout.spec({ stream: 'resume', group: 'g', connection: redis.url, fields: ['n'] });
      sink = Record.spec({ input: this.entries });
    }
    await cluster.submit(Resumed, { logger: () => {} });
    await waitFor(async () => seen.length >= total && (await pendingCount('resume', 'g')) === 0, 'the pending entries processed and acked');
    await cluster.kill('Resume');
    expect([...seen].sort((a, b) => a - b)).toStrictEqual(range(total));
  });

  it('claims the entries a dead consumer left pending, and dead-letters those delivered too often', async () => {
    const ids = await addEntries(redis.client, 'orphans', 100);
    await redis.client.xgroup('CREATE', 'orphans', 'g', '0');
    await redis.client.xreadgroup('GROUP', 'g', 'ghost', 'COUNT', 100, 'STREAMS', 'orphans', '>');
    // One entry that (say) crashed its consumer on each of five deliveries.
    for (let i = 0; i < 4; i++) await redis.client.xclaim('orphans', 'g', 'ghost', 0, ids[0]);
    await addEntries(redis.client, 'orphans', 50);
    const seen: number[] = [];
    const Record = recordingBolt(seen);
    class Orphans extends Topology {
      entries = RedisStreamSpout.spec({ stream: 'orphans', group: 'g', connection: redis.url, fields: ['n'], claimIdleMs: 200, maxDeliveries: 5 });
      record = Record.spec({ input: this.entries });
    }
    await cluster.submit(Orphans, { logger: () => {} });
    await waitFor(async () => seen.length >= 149 && (await pendingCount('orphans', 'g')) === 0, 'the orphans claimed and every entry acked');
    await cluster.kill('Orphans');
    // Entries 1..99 of the ghost, and the 50 new ones (n 0..49 again).
    expect([...seen].sort((a, b) => a - b)).toStrictEqual([...range(50), ...range(100).slice(1)].sort((a, b) => a - b));
    const [[, fields]] = await redis.client.xrange('orphans:dead-letter', '-', '+');
    const letter = Object.fromEntries(fieldPairs(fields));
    expect(letter['topo.source.id']).toBe(ids[0]);
    expect(letter['topo.deliveries']).toBe('6');
    expect(letter['topo.error']).toMatch(/delivered 5 times without being acked/);
  });

  it('pauses while Redis is down, says so once, and loses nothing when it is back', async () => {
    const durable = await startTestRedis({ durable: true });
    const own = new Redis(durable.url, { maxRetriesPerRequest: null });
    // It reconnects while Redis is down, as the spout does: those errors are the point, not news.
    own.on('error', () => {});
    const total = 5000;
    await addEntries(own, 'restart', total);
    const seen = new Set<number>();
    class Record extends BasicBolt {
      process(tuple: Tuple): void {
        seen.add(Number(tuple.get('n')));
      }
    }
    class Restart extends Topology {
      entries = RedisStreamSpout.spec({ stream: 'restart', group: 'g', connection: durable.url, fields: ['n'], readCount: 100 });
      record = Record.spec({ input: this.entries });
    }
    const logs = logCapture();
    await cluster.submit(Restart, { logger: logs.logger });
    await waitFor(() => seen.size > total / 5, 'a fifth of the entries processed');
    await durable.kill();
    await waitFor(() => logs.matching('entries', /unreachable/).length > 0, 'the spout noticing');
    await durable.start();
    await waitFor(async () => seen.size === total && (await pendingCount('restart', 'g', own)) === 0, 'every entry processed and acked');
    await cluster.kill('Restart');
    expect(logs.matching('entries', /unreachable/)).toHaveLength(1);
    expect(logs.matching('entries', /reachable again/)).toHaveLength(1);
    own.disconnect();
    await durable.stop();
  });
});

function fieldPairs(fields: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < fields.length; i += 2) pairs.push([fields[i], fields[i + 1]]);
  return pairs;
}
