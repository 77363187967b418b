import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, Spout, Topology, TopoError, type Tuple } from '@topo/topology-dsl';
import { completeTopology } from '@topo/runtime';

/** Never runs under completeTopology: its mock replaces it. */
class Sentences extends Spout {
  static outputs = ['sentence'] as const;
  nextTuple(): void {
    throw new Error('the real spout must not run under completeTopology');
  }
}

class Split extends BasicBolt {
  static outputs = ['word'] as const;
  static streams = { lengths: ['sentence', 'words'] } as const;
  process(tuple: Tuple): void {
    const words = (tuple.get('sentence') as string).split(' ');
    for (const word of words) this.emit([word]);
    this.emit([tuple.get('sentence'), words.length], { stream: 'lengths' });
  }
}

class Count extends BasicBolt {
  static outputs = ['word', 'count'] as const;
  private readonly counts = new Map<string, number>();
  process(tuple: Tuple): void {
    const word = tuple.get('word') as string;
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.set(word, count);
    this.emit([word, count]);
  }
}

class WordCount extends Topology {
  sentences = Sentences.spec({ p: 2 });
  split = Split.spec({ p: 2, input: this.sentences });
  count = Count.spec({ p: 3, input: this.split.fields('word') });
}

const SENTENCES = ['the cat sat', 'the dog ran', 'a cat and a dog', 'the end'];
const sortedRows = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();

describe('completeTopology', () => {
  it('returns every tuple each component emitted, per stream', async () => {
    const { tuples, replays } = await completeTopology(WordCount, { mockedSources: { sentences: SENTENCES.map((s) => [s]) } });

    const words = SENTENCES.flatMap((s) => s.split(' '));
    expect(sortedRows(tuples.sentences.default)).toEqual(sortedRows(SENTENCES.map((s) => [s])));
    expect(sortedRows(tuples.split.default)).toEqual(sortedRows(words.map((w) => [w])));
    expect(sortedRows(tuples.split.lengths)).toEqual(sortedRows(SENTENCES.map((s) => [s, s.split(' ').length])));
    // Each word's counts go 1..n on one task, whatever the interleaving.
    const frequency = new Map<string, number>();
    for (const w of words) frequency.set(w, (frequency.get(w) ?? 0) + 1);
    const expectedCounts = [...frequency].flatMap(([w, n]) => Array.from({ length: n }, (_, i) => [w, i + 1]));
    expect(sortedRows(tuples.count.default)).toEqual(sortedRows(expectedCounts));
    expect(replays).toBe(0);
  });

  it('replays failed spout tuples until they complete, and counts the replays', async () => {
    /** Fails the first time it sees each sentence. */
    class FailOnce extends Bolt {
      static outputs = ['sentence'] as const;
      private readonly seen = new Set<unknown>();
      process(tuple: Tuple): void {
        const sentence = tuple.get('sentence');
        this.emit([sentence], { anchors: tuple });
        if (this.seen.has(sentence)) this.ack(tuple);
        else {
          this.seen.add(sentence);
          this.fail(tuple);
        }
      }
    }
    class Flaky extends Topology {
      sentences = Sentences.spec();
      flaky = FailOnce.spec({ p: 2, input: this.sentences.fields('sentence') });
      split = Split.spec({ input: this.flaky });
    }

    const { tuples, replays } = await completeTopology(Flaky, { mockedSources: { sentences: SENTENCES.map((s) => [s]) } });
    expect(replays).toBe(SENTENCES.length);
    const twice = SENTENCES.flatMap((s) => [[s], [s]]);
    expect(sortedRows(tuples.sentences.default)).toEqual(sortedRows(twice));
    expect(sortedRows(tuples.flaky.default)).toEqual(sortedRows(twice));
  });

  it('names the spout that is not mocked, and a mocked name that is not a spout', async () => {
    const unmocked = completeTopology(WordCount, { mockedSources: {} });
    await expect(unmocked).rejects.toBeInstanceOf(TopoError);
    await expect(unmocked).rejects.toMatchObject({
      message: 'completeTopology: spout sentences is not mocked; pass mockedSources.sentences',
      context: { component: 'sentences' },
    });
    await expect(completeTopology(WordCount, { mockedSources: { sentences: [], split: [] } })).rejects.toThrow(
      'completeTopology: mockedSources names split, which is not a spout of the topology',
    );
  });

  it('gives up after timeoutMs when a tree never completes', async () => {
    class Hoarder extends Bolt {
      process(): void {}
    }
    class Stuck extends Topology {
      sentences = Sentences.spec();
      hoarder = Hoarder.spec({ input: this.sentences });
    }
    await expect(completeTopology(Stuck, { mockedSources: { sentences: [['x'], ['y']] }, timeoutMs: 300 })).rejects.toThrow(
      'completeTopology: 2 spout tuples still not acked after 300 ms',
    );
  });
});
