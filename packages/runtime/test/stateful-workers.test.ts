import { afterEach, describe, expect, it } from 'vitest';
import { BasicBolt, Spout, Topology, build, type Tuple } from '@topo/topology-dsl';
import { MemoryStateProvider, StatefulWordCounter, Worker, computeTaskLayout, fixedTuplesSpout, scheduleEvenly, silentLogger, useStateProvider, waitFor } from '@topo/runtime';

const SENTENCES = Array.from({ length: 400 }, (_, i) => [`n${i} ${['red', 'green', 'blue'][i % 3]} ${['cat', 'dog'][i % 2]}`]);
const TRUE_COUNTS: Record<string, number> = {};
for (const [s] of SENTENCES) for (const w of s.split(' ')) TRUE_COUNTS[w] = (TRUE_COUNTS[w] ?? 0) + 1;
const failedOnce = new Set<number>();

class Sentences extends Spout {
  static outputs = ['sentence'] as const;
  nextTuple(): void {}
  position(): unknown {
    return 0;
  }
  rewind(): void {}
}

class Split extends BasicBolt {
  static outputs = ['word'] as const;
  process(tuple: Tuple): void {
    const words = (tuple.get('sentence') as string).split(' ');
    this.emit([words[0]]);
    const n = Number(words[0].slice(1));
    if (n % 41 === 0 && !failedOnce.has(n)) {
      failedOnce.add(n);
      throw new Error(`injected failure of sentence ${n}`);
    }
    for (const w of words.slice(1)) this.emit([w]);
  }
}

class WordCount extends Topology {
  static config = { 'topology.state.checkpoint.interval.ms': 100 };
  sentences = Sentences.spec();
  split = Split.spec({ p: 2, input: this.sentences });
  count = StatefulWordCounter.spec({ p: 2, input: this.split.fields('word') });
}

const started: Worker[] = [];
afterEach(async () => {
  for (const w of started.splice(0)) await w.stop();
});

describe('a stateful topology over two workers', () => {
  it('delivers barriers to spouts and between workers in order, and commits exact counts through rollbacks', async () => {
    failedOnce.clear();
    const compiled = build(WordCount);
    const { spoutClass, progress } = fixedTuplesSpout(compiled.componentClasses.get('sentences')!, SENTENCES, { replay: true, rewindable: true });
    compiled.componentClasses.set('sentences', spoutClass);
    const layout = computeTaskLayout(compiled.definition, 2);
    const assignment = scheduleEvenly('WordCount', layout.executors, ['w1', 'w2']);
    const provider = new MemoryStateProvider();
    const workers = ['w1', 'w2'].map((workerId) => new Worker(compiled, { logger: silentLogger(), layout, cluster: { workerId, assignment, secret: Buffer.alloc(32, 7) } }));
    started.push(...workers);
    for (const w of workers) useStateProvider(w, provider);
    const ports = await Promise.all(workers.map((w) => w.listen('127.0.0.1')));
    for (const w of workers) w.setPeers(workers.map((_, i) => ({ id: `w${i + 1}`, host: '127.0.0.1', port: ports[i] })));
    for (const w of workers) await w.start();
    // Each executor of a pair sits in a different worker, so barriers and data cross the link.
    expect(new Set(assignment.workers.map((w) => w.executors.filter((e) => e.component === 'count').length))).toEqual(new Set([1]));
    await waitFor(() => progress.finished === progress.total, 'every sentence acked', 60_000);
    expect(failedOnce.size).toBe(10);
    const counts: Record<string, number> = {};
    for (const namespace of provider.namespaces().filter((n) => n.startsWith('count-'))) {
      for (const [w, n] of provider.state<number>(namespace).committedEntries()) counts[w] = (counts[w] ?? 0) + n;
    }
    expect(counts).toEqual(TRUE_COUNTS);
  });
});
