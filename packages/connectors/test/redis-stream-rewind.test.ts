import { afterEach, describe, expect, it } from 'vitest';
import { RedisStreamSpout, type StreamPosition } from '@topo/connectors';
import { redisPerFile } from './support/redis-per-file.js';
import { SpoutHarness } from './support/spout-harness.js';

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
