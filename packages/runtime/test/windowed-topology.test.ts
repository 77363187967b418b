import { describe, expect, it } from 'vitest';
import { Bolt, BasicBolt, Spout, Topology, WindowedBolt, type Tuple, type TupleWindow } from '@topo/topology-dsl';
import { ManualClock, completeTopology } from '@topo/runtime';

class Words extends Spout {
  static outputs = ['word'] as const;
  nextTuple(): void {}
}

/** Counts each word of a window and emits the counts, unanchored: the runner anchors them to the window. */
class WindowCounts extends WindowedBolt {
  static outputs = ['word', 'count', 'end'] as const;
  execute(window: TupleWindow): void {
    const counts = new Map<string, number>();
    for (const t of window.tuples) counts.set(t.get('word') as string, (counts.get(t.get('word') as string) ?? 0) + 1);
    for (const [word, count] of counts) this.emit([word, count, window.end]);
  }
}

class Sink extends BasicBolt {
  process(): void {}
}

/** Fails the first tuple it sees, acks the rest: one failed result must fail every input of its window. */
class FailFirst extends Bolt {
  private failed = false;
  process(tuple: Tuple): void {
    if (this.failed) this.ack(tuple);
    else {
      this.failed = true;
      this.fail(tuple);
    }
  }
}

const words = ['a', 'b', 'a', 'c', 'a', 'b'].map((w) => [w]);

describe('windowed bolts in a topology (completeTopology on a manual clock)', () => {
  it('completes a topology with a processing-time window: inputs are acked when the clock moves them out of the window', async () => {
    class Counting extends Topology {
      words = Words.spec();
      counts = WindowCounts.spec({ p: 2, input: this.words.fields('word'), window: { length: { seconds: 5 } } });
      sink = Sink.spec({ input: this.counts });
    }
    const { tuples, replays } = await completeTopology(Counting, { mockedSources: { words }, clock: new ManualClock(0) });
    expect(replays).toBe(0);
    const counts = Object.fromEntries(tuples.counts.default.map(([word, count]) => [word, count]));
    expect(counts).toEqual({ a: 3, b: 2, c: 1 });
    // Tumbling five-second windows aligned to the bolts' start: the first ends at 4999.
    expect(new Set(tuples.counts.default.map((t) => t[2]))).toEqual(new Set([4999]));
  });

  it('anchors results to every tuple of their window: one failed result replays the whole window', async () => {
    class Failing extends Topology {
      words = Words.spec();
      counts = WindowCounts.spec({ input: this.words, window: { length: { seconds: 1 } } });
      sink = FailFirst.spec({ input: this.counts });
    }
    const { tuples, replays } = await completeTopology(Failing, { mockedSources: { words }, clock: new ManualClock(0) });
    // The first result ('a', 3) failed: the trees of all six inputs in its window failed with it.
    expect(replays).toBe(6);
    expect(tuples.counts.default.map(([word, count]) => `${word}=${count}`)).toEqual(['a=3', 'b=2', 'c=1', 'a=3', 'b=2', 'c=1']);
  });
});
