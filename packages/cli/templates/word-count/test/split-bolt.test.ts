import { testBolt } from '@topo/runtime';
import { describe, expect, it } from 'vitest';
import { SplitBolt } from '../src/split-bolt.js';

describe('SplitBolt', () => {
  it('emits every word of a line in lower case and acks the line', async () => {
    const result = await testBolt(SplitBolt, { inputs: [['The cat saw the dog.']], inputFields: ['line'] });

    expect(result.errors).toEqual([]);
    expect(result.emitted.map((emit) => emit.values)).toEqual([['the'], ['cat'], ['saw'], ['the'], ['dog']]);
    expect(result.acked).toEqual([0]);
  });
});
