import { silentLogger, startTestRedis, StatefulWordCounter, Worker, type TestRedisServer } from '@topo/runtime';
import { BasicBolt, build, Spout, Topology, type TopologyConfig, type Tuple } from '@topo/topology-dsl';
import { processCpuSeconds, processPeakRssMiB } from '../machine.js';
import type { BenchPart, Figures, MeasureOptions } from '../part.js';
import { measureWindow } from '../window.js';

const PART = 'state';
/** Distinct words: what a checkpoint writes at most per task. */
const DISTINCT_WORDS = 1000;
const WORDS_PER_SENTENCE = 5;
/** The bound of the variant that shows what max spout pending does to a stateful topology: acks come only with a commit. */
const BOUNDED_PENDING = 10_000;

/** Emits sentences of WORDS_PER_SENTENCE words drawn in turn from DISTINCT_WORDS, each tracked. */
class SentenceSpout extends Spout {
  static outputs = ['sentence'] as const;
  private n = 0;
  nextTuple(): void {
    const n = this.n++;
    const first = (n * WORDS_PER_SENTENCE) % DISTINCT_WORDS;
    let sentence = `w${first}`;
    for (let i = 1; i < WORDS_PER_SENTENCE; i++) sentence += ` w${(first + i) % DISTINCT_WORDS}`;
    this.emit([sentence], { msgId: n });
  }
}

class Split extends BasicBolt {
  static outputs = ['word'] as const;
  process(tuple: Tuple): void {
    for (const word of (tuple.get('sentence') as string).split(' ')) this.emit([word]);
  }
}

/** The word count without state: counts in a Map, lost with the process. */
class MapCount extends BasicBolt {
  private readonly counts = new Map<string, number>();
  process(tuple: Tuple): void {
    const word = tuple.get('word') as string;
    this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
  }
}

type Variant = 'no-state' | 'memory-state' | 'redis-state' | 'redis-state-pending';

async function throughput(variant: Variant, options: MeasureOptions): Promise<Figures> {
  class Stateless extends Topology {
    sentences = SentenceSpout.spec();
    split = Split.spec({ input: this.sentences });
    count = MapCount.spec({ input: this.split.fields('word') });
  }
  class Stateful extends Topology {
    sentences = SentenceSpout.spec();
    split = Split.spec({ input: this.sentences });
    count = StatefulWordCounter.spec({ input: this.split.fields('word') });
  }
  let redis: TestRedisServer | undefined;
  const config: TopologyConfig = {};
  if (variant === 'memory-state') config['topology.state.provider'] = 'memory';
  if (variant === 'redis-state' || variant === 'redis-state-pending') {
    redis = await startTestRedis();
    config['topology.state.provider'] = 'redis';
    config['topology.state.provider.config'] = { url: redis.url };
  }
  if (variant === 'redis-state-pending') config['topology.max.spout.pending'] = BOUNDED_PENDING;
  const worker = new Worker(build(variant === 'no-state' ? Stateless : Stateful), { config, logger: silentLogger() });
  await worker.start();
  const metrics = (component: string) => worker.metrics().find((m) => m.component === component)!;
  let pendingPeak = 0;
  let opened = { acked: 0, at: 0 };
  const figures = await measureWindow(options, {
    // Words counted, in sentences: acks come in a step per commit, which a few seconds' window would cut at random.
    completed: () => {
      pendingPeak = Math.max(pendingPeak, metrics('sentences').pending);
      return metrics('count').executed / WORDS_PER_SENTENCE;
    },
    windowOpened: () => (opened = { acked: metrics('sentences').acked, at: performance.now() }),
    helperCpuSeconds: redis === undefined ? undefined : () => processCpuSeconds(redis.pid),
  });
  figures.ackedPerSec = (metrics('sentences').acked - opened.acked) / ((performance.now() - opened.at) / 1000);
  await worker.stop();
  figures.pendingTrees = pendingPeak;
  if (redis !== undefined) {
    figures.redisPeakRssMiB = processPeakRssMiB(redis.pid);
    await redis.stop();
  }
  return figures;
}

export const state: BenchPart = {
  name: PART,
  description: `What checkpointed state costs: a word count in one process, a tracked sentence of ${WORDS_PER_SENTENCE} words (over ${DISTINCT_WORDS.toLocaleString('en')} distinct words) through spout -> split -> count (fields grouping on the word), the count keeping its counts in a Map, in a StatefulBolt's state with the in-memory provider, or with the Redis provider (its own redis-server on this machine), checkpointing at the default interval (1 s). Tuples/s is sentences counted per second (the count bolt's words over 5); ackedPerSec is sentence trees acked per second over the same window and up to the end of the measurement. A stateful topology acks a tree only when the checkpoint after it commits, so its acks come in a step a second (a window of a few seconds cuts them at random, hence the counted rate as the figure: the acked rate cannot trail it for long without the pending trees piling up), and max spout pending (unset here, Storm's default, the engine's backpressure bounding the queues) must hold a second's worth of trees for the rate to stay up; pendingTrees is the most the spout had pending when sampled.`,
  reference: `${PART}/redis-state`,
  targets: [{ subject: `${PART}/redis-state`, peer: `${PART}/no-state`, atLeast: 0.5 }],
  variants: [
    { id: `${PART}/no-state`, description: 'BasicBolt counting in a Map: no checkpoints', measure: (o) => throughput('no-state', o) },
    { id: `${PART}/memory-state`, description: "StatefulBolt, topology.state.provider 'memory'", measure: (o) => throughput('memory-state', o) },
    { id: `${PART}/redis-state`, description: "StatefulBolt, topology.state.provider 'redis'", measure: (o) => throughput('redis-state', o) },
    {
      id: `${PART}/redis-state-pending-${BOUNDED_PENDING / 1000}k`,
      description: `as redis-state with topology.max.spout.pending ${BOUNDED_PENDING.toLocaleString('en')}: at most that many trees per checkpoint, so at most about ${BOUNDED_PENDING.toLocaleString('en')} a second`,
      measure: (o) => throughput('redis-state-pending', o),
    },
  ],
};
