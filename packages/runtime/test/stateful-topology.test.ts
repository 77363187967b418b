import { describe, expect, it } from 'vitest';
import { BasicBolt, Spout, StatefulBolt, Topology, type KeyValueState, type TopologyConfig, type Tuple } from '@topo/topology-dsl';
import { completeTopology, scaledMs } from '@topo/runtime';

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

function spoutTask(state: Record<string, Record<string, unknown>>): string {
  return Object.keys(state).find((n) => n.startsWith('sentences-'))!.slice('sentences-'.length);
}
