import { describe, expect, it } from 'vitest';
import { BasicBolt, Spout, StatefulBolt, Topology, type KeyValueState, type TopologyConfig, type Tuple } from '@topo/topology-dsl';
import { LocalCluster, completeTopology, fixedTuplesSpout, scaledMs, waitFor } from '@topo/runtime';
import { build } from '@topo/topology-dsl';

const WORDS = ['apple', 'bean', 'cherry', 'date', 'elder', 'fig', 'grape'];
/** 300 sentences: a number that tells them apart, then 4 words. */
const SENTENCES = Array.from({ length: 300 }, (_, i) => [[`n${i}`, ...Array.from({ length: 4 }, (_, k) => WORDS[(i * 3 + k * 5) % WORDS.length])].join(' ')]);
const TRUE_COUNTS: Record<string, number> = {};
for (const [sentence] of SENTENCES) for (const w of (sentence as string).split(' ')) TRUE_COUNTS[w] = (TRUE_COUNTS[w] ?? 0) + 1;

class Sentences extends Spout {
  static outputs = ['sentence'] as const;
  nextTuple(): void {}
}

class RewindableSentences extends Sentences {
  position(): unknown {
    return 0;
  }
  rewind(): void {}
}

/** Sentences that already failed once: the split bolt fails every 37th sentence the first time it sees it. */
const failedOnce = new Set<string>();

class Split extends BasicBolt {
  static outputs = ['word'] as const;
  process(tuple: Tuple): void {
    const sentence = tuple.get('sentence') as string;
    const words = sentence.split(' ');
    // Emits before failing: their counts must be rolled back with the rest.
    this.emit([words[0]]);
    const index = Number(words[0].slice(1));
    if (index % 37 === 0 && !failedOnce.has(`${index}`)) {
      failedOnce.add(`${index}`);
      throw new Error(`injected failure of sentence ${index}`);
    }
    for (const word of words.slice(1)) this.emit([word]);
  }
}

class Count extends StatefulBolt<number> {
  static outputs = ['word', 'count'] as const;
  private counts!: KeyValueState<number>;
  initState(state: KeyValueState<number>): void {
    this.counts = state;
  }
  process(tuple: Tuple): void {
    const word = tuple.get('word') as string;
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.put(word, count);
    this.emit([word, count]);
  }
}

function wordCount(spout: typeof Sentences) {
  return class WordCount extends Topology {
    static config: TopologyConfig = { 'topology.state.checkpoint.interval.ms': 100 };
    sentences = spout.spec();
    split = Split.spec({ p: 2, input: this.sentences });
    count = Count.spec({ p: 2, input: this.split.fields('word') });
  };
}

/** Sums the committed counts of every count task. */
function committedCounts(state: Record<string, Record<string, unknown>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [namespace, entries] of Object.entries(state)) {
    if (!namespace.startsWith('count-')) continue;
    for (const [word, n] of Object.entries(entries)) counts[word] = (counts[word] ?? 0) + (n as number);
  }
  return counts;
}

describe('stateful topologies in one process', () => {
  it('commits exactly the input counts with a rewindable spout, through injected failures and rollbacks', async () => {
    failedOnce.clear();
    const result = await completeTopology(wordCount(RewindableSentences), { mockedSources: { sentences: SENTENCES }, timeoutMs: scaledMs(60_000) });
    expect(failedOnce.size).toBe(9);
    const actions = result.tuples.$checkpointspout.$checkpoint.map(([, action]) => action);
    expect(actions.filter((a) => a === 'ROLLBACK').length).toBeGreaterThan(0);
    expect(committedCounts(result.committedState)).toEqual(TRUE_COUNTS);
    // The spout's position is committed too: all of its 300 sentences.
    expect(result.committedState['sentences-' + spoutTask(result.committedState)]).toEqual({ position: 300 });
  });

  it('commits at least the input counts with a spout that cannot rewind', async () => {
    failedOnce.clear();
    const result = await completeTopology(wordCount(Sentences), { mockedSources: { sentences: SENTENCES }, timeoutMs: scaledMs(60_000) });
    expect(failedOnce.size).toBe(9);
    expect(result.replays).toBeGreaterThanOrEqual(9);
    const counts = committedCounts(result.committedState);
    for (const [word, n] of Object.entries(TRUE_COUNTS)) expect(counts[word]).toBeGreaterThanOrEqual(n);
  });
});

/** prePrepare calls by "task txid", across a run. */
const prepares: string[] = [];

class Pass extends BasicBolt {
  static outputs = ['word'] as const;
  process(tuple: Tuple): void {
    this.emit([tuple.get('word')]);
  }
}

class Tally extends StatefulBolt<number> {
  static outputs = [] as const;
  private state!: KeyValueState<number>;
  initState(state: KeyValueState<number>): void {
    this.state = state;
  }
  process(tuple: Tuple): void {
    this.state.put(tuple.sourceComponent, (this.state.get(tuple.sourceComponent) ?? 0) + 1);
  }
  prePrepare(txid: number): void {
    prepares.push(`${this.context.taskId} ${txid}`);
  }
}

class Letters extends Spout {
  static outputs = ['word'] as const;
  nextTuple(): void {}
}

/** Scenario 5.10: S (p 2) -> B (p 3) -> C (p 2, stateful), and C reads S directly too. */
function scenario510(aligned: boolean) {
  return class Rewired extends Topology {
    static config: TopologyConfig = { 'topology.state.checkpoint.interval.ms': 100, 'topo.state.barrier.alignment': aligned };
    s = Letters.spec({ p: 2 });
    b = Pass.spec({ p: 3, input: this.s });
    c = Tally.spec({ p: 2, inputs: [this.b.shuffle(), this.s.shuffle()] });
  };
}

describe('barriers across several channels (scenario 5.10)', () => {
  for (const aligned of [true, false]) {
    it(`${aligned ? 'aligned' : 'counted'}: each task acts on a barrier once, after its last copy, and forwards it once`, async () => {
      prepares.length = 0;
      const letters = Array.from({ length: 200 }, (_, i) => [String.fromCharCode(97 + (i % 26))]);
      const result = await completeTopology(scenario510(aligned), { mockedSources: { s: letters }, timeoutMs: scaledMs(60_000) });
      const forwarded = (component: string) => {
        const seen = new Map<string, number>();
        for (const [txid, action] of result.tuples[component].$checkpoint) seen.set(`${txid} ${action}`, (seen.get(`${txid} ${action}`) ?? 0) + 1);
        return seen;
      };
      const started = forwarded('$checkpointspout');
      const prepared = [...started.keys()].filter((k) => k.endsWith('PREPARE') && forwarded('c').has(k));
      expect(prepared.length).toBeGreaterThan(0);
      // Every barrier the spout started that C forwarded, C forwarded once per task (2), B once per task (3), S once per task (2).
      for (const key of forwarded('c').keys()) {
        expect(forwarded('c').get(key)).toBe(2);
        expect(forwarded('b').get(key)).toBe(3);
        expect(forwarded('s').get(key)).toBe(2);
      }
      // prePrepare ran once per C task and txid.
      expect(new Set(prepares).size).toBe(prepares.length);
      // Every letter's effect committed: 200 from S, 200 through B.
      const totals = Object.entries(result.committedState).filter(([n]) => n.startsWith('c-'));
      expect(totals.reduce((n, [, e]) => n + ((e.s as number) ?? 0), 0)).toBeGreaterThanOrEqual(200);
      expect(totals.reduce((n, [, e]) => n + ((e.b as number) ?? 0), 0)).toBeGreaterThanOrEqual(200);
    });
  }
});

function spoutTask(state: Record<string, Record<string, unknown>>): string {
  return Object.keys(state).find((n) => n.startsWith('sentences-'))!.slice('sentences-'.length);
}

describe('deactivating a stateful topology', () => {
  it('keeps checkpointing, so the trees its spouts left pending complete and a drain ends', async () => {
    failedOnce.clear();
    const compiled = build(wordCount(RewindableSentences));
    const { spoutClass, progress } = fixedTuplesSpout(compiled.componentClasses.get('sentences')!, SENTENCES, { replay: true, rewindable: true });
    compiled.componentClasses.set('sentences', spoutClass);
    const cluster = new LocalCluster();
    const worker = await cluster.submit(compiled);
    try {
      await waitFor(() => worker.pendingTrees > 0, 'trees pending');
      worker.deactivate();
      expect(await worker.drain(scaledMs(20_000))).toBe(true);
      expect(progress.finished).toBeLessThanOrEqual(SENTENCES.length);
    } finally {
      await cluster.shutdown();
    }
  });
});
