import { LatencyHistogram, startTestRedis } from '@topo/runtime';
import { TopoError } from '@topo/topology-dsl';
import { Redis } from 'ioredis';
import { latencyFigures } from '../../latency-figures.js';
import { processCpuSeconds, processPeakRssMiB } from '../../machine.js';
import type { Figures, MeasureOptions } from '../../part.js';
import { loadUrls } from '../../url-list.js';
import { countKey, countOne } from '../../url-work.js';
import { measureWindow } from '../../window.js';
import { InflightWindow } from './inflight-window.js';

const GROUP = 'pipeline';
/** Entries a stream keeps; acked entries stay until trimmed, and this is far above what is ever in flight. */
const MAX_LENGTH = 100_000;
/** How long a read waits for entries before looking again (ms). */
const BLOCK_MS = 100;

/** XREADGROUP's reply: per stream, its entries as [id, [field, value, ...]]. */
type Entry = [id: string, fields: string[]];
type StreamReply = [stream: string, entries: Entry[]][] | null;

/** Throws unless every XADD of a pipeline to `stream` succeeded. */
function assertAdded(results: [Error | null, unknown][] | null, stream: string): void {
  const error = results?.find(([e]) => e !== null)?.[0];
  if (results === null || error) throw new TopoError(`XADD to stream ${stream} failed: ${error?.message ?? 'pipeline discarded'}`, { stream });
}

/**
 * The pipeline on Redis Streams with consumer groups: the producer XADDs to `parse`; each
 * of `consumers` parse consumers XREADGROUPs `batch` entries, XADDs each result to `count`
 * and only then XACKs them (a crash in between leaves them pending for redelivery:
 * at-least-once); as many count consumers read `count`, count and XACK. Each blocking
 * reader has its own connection, as blocking reads require.
 */
export async function redisStreamsPipeline(consumers: number, batch: number, window: number, options: MeasureOptions): Promise<Figures> {
  const redis = await startTestRedis();
  const connections: Redis[] = [];
  const connect = () => {
    const connection = new Redis({ host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1 });
    connections.push(connection);
    return connection;
  };
  const producerConnection = connect();
  const urls = loadUrls();
  const counts = new Map<string, number>();
  const latency = new LatencyHistogram();
  const inflight = new InflightWindow(window);
  let completed = 0;
  let running = true;

  for (const stream of ['parse', 'count']) await producerConnection.xgroup('CREATE', stream, GROUP, '$', 'MKSTREAM');

  const producer = (async () => {
    let next = 0;
    for (let n = await inflight.room(batch); n > 0; n = await inflight.room(batch)) {
      inflight.sent(n);
      const sentAt = String(performance.now());
      const pipeline = producerConnection.pipeline();
      for (let i = 0; i < n; i++, next = (next + 1) % urls.length) pipeline.xadd('parse', 'MAXLEN', '~', MAX_LENGTH, '*', 'url', urls[next], 'sentAt', sentAt);
      assertAdded(await pipeline.exec(), 'parse');
    }
  })();

  /** Reads `stream` as consumer `name` of the group on a connection of its own, hands each batch to `handle`, and XACKs it once handled. */
  async function consume(name: string, stream: string, handle: (connection: Redis, entries: Entry[]) => Promise<void>, acked?: (entries: Entry[]) => void): Promise<void> {
    const connection = connect();
    while (running) {
      const reply = (await connection.xreadgroup('GROUP', GROUP, name, 'COUNT', batch, 'BLOCK', BLOCK_MS, 'STREAMS', stream, '>')) as StreamReply;
      if (reply === null) continue;
      const entries = reply[0][1];
      await handle(connection, entries);
      await connection.xack(stream, GROUP, ...entries.map(([id]) => id));
      acked?.(entries);
    }
  }

  const parse = async (connection: Redis, entries: Entry[]) => {
    const pipeline = connection.pipeline();
    for (const [, [, url, , sentAt]] of entries) pipeline.xadd('count', 'MAXLEN', '~', MAX_LENGTH, '*', 'key', countKey(url), 'sentAt', sentAt);
    assertAdded(await pipeline.exec(), 'count');
  };
  const count = async (_connection: Redis, entries: Entry[]) => {
    for (const [, [, key]] of entries) countOne(counts, key);
  };
  const counted = (entries: Entry[]) => {
    const now = performance.now();
    for (const [, [, , , sentAt]] of entries) latency.record((now - Number(sentAt)) * 1000);
    completed += entries.length;
    inflight.done(entries.length);
  };
  const stages = Array.from({ length: consumers }, (_, i) => [consume(`parse-${i}`, 'parse', parse), consume(`count-${i}`, 'count', count, counted)]).flat();

  const figures = await measureWindow(options, {
    completed: () => completed,
    windowOpened: () => latency.reset(),
    helperCpuSeconds: () => processCpuSeconds(redis.pid),
  });
  running = false;
  inflight.close();
  await Promise.all([producer, ...stages]);
  await Promise.all(connections.map((c) => c.quit()));
  const redisRss = processPeakRssMiB(redis.pid);
  await redis.stop();
  return { ...figures, ...latencyFigures(latency), redisPeakRssMiB: redisRss };
}
