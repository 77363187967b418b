import { completeTopology } from '@topo/runtime';
import { describe, expect, it } from 'vitest';
import WordCount from '../topology.js';

describe('WordCount', () => {
  it('counts every word of every line, end to end', async () => {
    // The spout is replaced by these lines; the run ends when every line's tree is acked.
    const { tuples } = await completeTopology(WordCount, {
      mockedSources: { lines: [['the cat and the dog'], ['The dog']] },
    });

    // Each count replaces the one before: the last emitted count of a word is its total.
    const totals = Object.fromEntries(tuples.count.default.map(([word, count]) => [word, count]));
{{#python}}
    expect(totals).toEqual({ cat: 1, dog: 2 });
{{/python}}
{{^python}}
    expect(totals).toEqual({ the: 3, cat: 1, and: 1, dog: 2 });
{{/python}}
  });
});
