import { describe, expect, it } from 'vitest';
import type { Visualization } from '../src/client/rest-types.js';
import { edgeCounts, edgeKey, RateTracker, saniStream, visualizationEdges } from '../src/client/graph/edge-rates.js';

const vis: Visualization = {
  words: {
    ':type': 'spout',
    ':stats': [
      { ':uptime_secs': 10, ':transferred': { ':all-time': { default: 300, _s_: 40 } } },
      { ':uptime_secs': 12, ':transferred': { ':all-time': { default: 100 } } },
    ],
  },
  split: { ':type': 'bolt', ':inputs': [{ ':component': 'words', ':stream': 'default', ':grouping': 'shuffle' }] },
  audit: { ':type': 'bolt', ':inputs': [{ ':component': 'words', ':stream': 'default' }, { ':component': 'words', ':stream': '1' }] },
  tail: { ':type': 'bolt', ':transferred': 60, ':inputs': [{ ':component': 'split', ':stream': 'default' }] },
  sink: { ':type': 'bolt', ':inputs': [{ ':component': 'tail', ':stream': 'default' }] },
};

describe('edge counts', () => {
  it("shares a stream's transferred count, summed over executors, among its subscribers", () => {
    const edges = visualizationEdges(vis);
    const counts = edgeCounts(vis, edges, ':all-time');
    expect(counts.get(edgeKey({ from: 'words', to: 'split', stream: 'default' }))).toBe(200);
    expect(counts.get(edgeKey({ from: 'words', to: 'audit', stream: 'default' }))).toBe(200);
    expect(counts.get(edgeKey({ from: 'words', to: 'audit', stream: '1' }))).toBe(40);
    // No per-stream stats: the component's count over its outgoing edges.
    expect(counts.get(edgeKey({ from: 'tail', to: 'sink', stream: 'default' }))).toBe(60);
    // Nothing known about split's output.
    expect(counts.has(edgeKey({ from: 'split', to: 'tail', stream: 'default' }))).toBe(false);
  });

  it("names streams as Storm's sani-stream does", () => {
    expect(saniStream('default')).toBe('default');
    expect(saniStream('1')).toBe('_s_');
    expect(saniStream('a b/c')).toBe('a_b_c');
  });
});

describe('RateTracker', () => {
  it('gives the rate over reads at least the span apart, and nothing before', () => {
    const rates = new RateTracker(10_000, 60_000);
    rates.observe(0, new Map([['e', 0]]));
    rates.observe(5_000, new Map([['e', 100]]));
    expect(rates.rate('e')).toBeUndefined();
    rates.observe(12_000, new Map([['e', 600]]));
    expect(rates.rate('e')).toBeCloseTo(50, 6);
    rates.observe(20_000, new Map([['e', 1000]]));
    // Newest read against the newest one at least 10 s older (the read at 5 s).
    expect(rates.rate('e')).toBeCloseTo(60, 6);
  });

  it('starts a key afresh when its count drops (a restarted worker)', () => {
    const rates = new RateTracker(1_000, 60_000);
    rates.observe(0, new Map([['e', 500]]));
    rates.observe(2_000, new Map([['e', 20]]));
    expect(rates.rate('e')).toBeUndefined();
    rates.observe(4_000, new Map([['e', 220]]));
    expect(rates.rate('e')).toBeCloseTo(100, 6);
  });

  it('forgets reads older than it keeps', () => {
    const rates = new RateTracker(1_000, 10_000);
    for (let t = 0; t <= 100_000; t += 1_000) rates.observe(t, new Map([['e', t]]));
    expect(rates.rate('e')).toBeCloseTo(1000, 6);
    expect((rates as unknown as { samples: unknown[] }).samples.length).toBeLessThanOrEqual(12);
  });
});
