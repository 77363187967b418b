import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BasicBolt, StatefulBolt, Topology, type KeyValueState, type Tuple } from '@topo/topology-dsl';
import { RedisStreamSpout, type StreamPosition } from '@topo/connectors';
import { LocalCluster, SpoutHarness, scaledMs, silentLogger, waitFor } from '@topo/runtime';
import { redisPerFile } from './support/redis-per-file.js';


const redis = redisPerFile();

let streams = 0;
const open: RedisStreamSpout[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((spout) => spout.close()));
});

/** A stream of `total` entries `n = 0..total-1`, and their ids in order. */
async function streamOf(total: number): Promise<{ stream: string; ids: string[] }> {
  const stream = `rewind-${++streams}`;
  const pipeline = redis.client.pipeline();
  for (let n = 0; n < total; n++) pipeline.xadd(stream, '*', 'n', String(n));
  const ids = ((await pipeline.exec()) ?? []).map(([, id]) => id as string);
  return { stream, ids };
}

/** A task of a RedisStreamSpout on `stream`, opened: consumer `rewind:source:0`, as a restarted task's would be. */
function spoutTask(stream: string): SpoutHarness<RedisStreamSpout> {
  const spout = new RedisStreamSpout();
  open.push(spout);
  const harness = new SpoutHarness(spout, {
    'topo.redis.url': redis.url,
    'topo.redis.stream': stream,
    'topo.redis.stream.group': 'g',
    'topo.redis.stream.read.count': 3,
    'topo.redis.stream.block.ms': 20,
  });
  spout.open(spout.context);
  return harness;
}

const idsOf = (emits: { msgId: unknown }[]) => emits.map((e) => e.msgId);

/** The ids pending in group g and their delivery counts. */
async function pending(stream: string): Promise<[string, number][]> {
  const rows = (await redis.client.xpending(stream, 'g', '-', '+', 100)) as [string, string, number, number][];
  return rows.map(([id, , , deliveries]) => [id, deliveries]);
}

describe('RedisStreamSpout as a rewindable source', () => {
  it('re-emits exactly the entries after the position, though the group delivered them already', async () => {
    const { stream, ids } = await streamOf(10);
    const task = spoutTask(stream);
    await task.spout.rewind(undefined);
    expect(idsOf(await task.take(4))).toEqual(ids.slice(0, 4));
    const position = task.spout.position();
    expect(position).toEqual({ id: ids[3], failed: [] });
    expect(idsOf(await task.take(3))).toEqual(ids.slice(4, 7));
    // Trees of entries 0 and 1 complete; the others are still pending (as behind a stateful bolt) when the rollback comes.
    task.spout.ack(ids[0]);
    task.spout.ack(ids[1]);

    await task.spout.rewind(JSON.parse(JSON.stringify(position)));
    expect(idsOf(await task.take(6))).toEqual(ids.slice(4));
    expect(await task.poll(3)).toEqual([]);
    // 2 and 3 are in the committed checkpoint: acked by the rewind. 4.. were read again without counting a delivery.
    expect(await pending(stream)).toEqual(ids.slice(4).map((id) => [id, 1]));
    expect(task.spout.position()).toEqual({ id: ids[9], failed: [] });
  });

  it('continues after the position in a new task (a restarted worker), then reads new entries', async () => {
    const { stream, ids } = await streamOf(6);
    const first = spoutTask(stream);
    await first.spout.rewind(undefined);
    await first.take(2);
    const position = first.spout.position();
    await first.take(3);
    await first.spout.close();

    const restarted = spoutTask(stream);
    await restarted.spout.rewind(position);
    const more = await redis.client.xadd(stream, '*', 'n', '6');
    expect(idsOf(await restarted.take(5))).toEqual([...ids.slice(2), more]);
    expect(await restarted.poll(2)).toEqual([]);
  });

  it('starts from the consumer\'s first pending entry with no position, and emits the entry fields', async () => {
    const { stream, ids } = await streamOf(4);
    const first = spoutTask(stream);
    await first.spout.rewind(undefined);
    await first.take(3);
    const again = spoutTask(stream);
    await again.spout.rewind(undefined);
    expect((await again.take(4)).map((e) => e.values)).toEqual(ids.map((id, n) => [id, { n: String(n) }]));
  });

  it('emits entries whose trees failed again after a rewind (at-least-once topologies), before those after the position', async () => {
    const { stream, ids } = await streamOf(5);
    const task = spoutTask(stream);
    await task.spout.rewind(undefined);
    await task.take(3);
    task.spout.fail(ids[1], 'timeout');
    task.spout.ack(ids[0]);
    const position = task.spout.position() as StreamPosition;
    expect(position).toEqual({ id: ids[2], failed: [ids[1]] });

    await task.spout.rewind(position);
    expect(idsOf(await task.take(3))).toEqual([ids[1], ids[3], ids[4]]);
    expect(await task.poll(2)).toEqual([]);
    task.spout.ack(ids[1]);
    expect((task.spout.position() as StreamPosition).failed).toEqual([]);
  });

  it('refuses a position it never gave, naming the component', async () => {
    const { stream } = await streamOf(1);
    const task = spoutTask(stream);
    await expect(task.spout.rewind('12-0')).rejects.toThrow('source: cannot rewind to "12-0", which is not a position of RedisStreamSpout');
  });
});

describe('RedisStreamSpout in a checkpointed topology with Redis state', () => {
  const cluster = new LocalCluster();
  afterAll(() => cluster.shutdown());

  it('commits exactly each entry once through bolt failures, each a rollback that rewinds the spout', async () => {
    const words = ['ant', 'bee', 'cat', 'dog', 'eel'];
    const total = 400;
    const stream = `rewind-${++streams}`;
    const pipeline = redis.client.pipeline();
    for (let n = 0; n < total; n++) pipeline.xadd(stream, '*', 'n', String(n), 'word', words[n % words.length]);
    await pipeline.exec();
    const failedOnce = new Set<string>();

    /** Fails every 50th entry the first time it sees it, after emitting it: the emit must be rolled back too. */
    class Flaky extends BasicBolt {
      static outputs = ['word', 'n'] as const;
      process(tuple: Tuple): void {
        const n = tuple.get('n') as string;
        this.emit([tuple.get('word'), Number(n)]);
        if (Number(n) % 50 === 0 && !failedOnce.has(n)) {
          failedOnce.add(n);
          throw new Error(`injected failure of entry ${n}`);
        }
      }
    }
    /** Per word: how many entries, and the sum of their numbers (a duplicate and a loss would not cancel out in both). */
    class Tally extends StatefulBolt<{ entries: number; sum: number }> {
      private tally!: KeyValueState<{ entries: number; sum: number }>;
      initState(state: KeyValueState<{ entries: number; sum: number }>): void {
        this.tally = state;
      }
      process(tuple: Tuple): void {
        const word = tuple.get('word') as string;
        const { entries, sum } = this.tally.get(word) ?? { entries: 0, sum: 0 };
        this.tally.put(word, { entries: entries + 1, sum: sum + (tuple.get('n') as number) });
      }
    }
    class StreamCount extends Topology {
      static config = {
        'topo.redis.url': redis.url,
        'topology.state.provider': 'redis',
        'topology.state.provider.config': { keyPrefix: `${stream}:` },
        'topology.state.checkpoint.interval.ms': 100,
      };
      entries = RedisStreamSpout.spec({ stream, group: 'g', fields: ['n', 'word'], blockMs: 50, readCount: 50 });
      flaky = Flaky.spec({ p: 2, input: this.entries });
      tally = Tally.spec({ p: 2, input: this.flaky.fields('word') });
    }

    const committed = async () => {
      const tallies: Record<string, unknown> = {};
      for (const key of await redis.client.keys(`${stream}:tally-*`)) {
        if (key.includes('$')) continue;
        for (const [word, json] of Object.entries(await redis.client.hgetall(key))) tallies[word] = JSON.parse(json);
      }
      return tallies;
    };
    const expected: Record<string, { entries: number; sum: number }> = {};
    for (let n = 0; n < total; n++) {
      const tally = (expected[words[n % words.length]] ??= { entries: 0, sum: 0 });
      tally.entries++;
      tally.sum += n;
    }
    await cluster.submit(StreamCount, { logger: silentLogger() });
    try {
      // The group is there once the spout has read; then every entry delivered and acked.
      const acked = async () => (await redis.client.xinfo('GROUPS', stream)) as unknown[][];
      await waitFor(
        async () => {
          const [group] = await acked();
          if (group === undefined) return false;
          const info = Object.fromEntries(Array.from({ length: group.length / 2 }, (_, i) => [group[2 * i], group[2 * i + 1]]));
          return info.pending === 0 && info['entries-read'] === total && failedOnce.size === total / 50;
        },
        'every entry acked',
        scaledMs(60_000),
      );
      // Every tree acked means the checkpoint holding its count committed.
      expect(await committed()).toEqual(expected);
      expect(await redis.client.xlen(`${stream}:dead-letter`)).toBe(0);
    } finally {
      await cluster.kill('StreamCount');
    }
  });
});
