import { testBolt } from '@topo/runtime';
import { describe, expect, it } from 'vitest';
import WordCount from '../topology.js';

describe('SplitBolt', () => {
  it('emits every word of a line in lower case and acks the line', async () => {
    // The bolt's spec from the topology: testBolt names the inputs' fields as its wiring does.
    const result = await testBolt(new WordCount().split, { inputs: [['The cat saw the dog.']] });

    expect(result.errors).toEqual([]);
    expect(result.emitted.map((emit) => emit.values)).toEqual([['the'], ['cat'], ['saw'], ['the'], ['dog']]);
    expect(result.acked).toEqual([0]);
  });
});
