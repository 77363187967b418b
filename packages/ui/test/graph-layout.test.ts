import { describe, expect, it } from 'vitest';
import { DEFAULT_BOX, layoutGraph } from '../src/client/graph/graph-layout.js';

describe('layoutGraph', () => {
  it('puts each component one column right of its deepest input, spouts first', () => {
    const layout = layoutGraph(
      [
        { id: 'count', type: 'bolt' },
        { id: 'words', type: 'spout' },
        { id: 'split', type: 'bolt' },
        { id: 'report', type: 'bolt' },
      ],
      [
        { from: 'words', to: 'split', stream: 'default' },
        { from: 'split', to: 'count', stream: 'default' },
        { from: 'count', to: 'report', stream: 'default' },
        { from: 'words', to: 'report', stream: 'audit' },
      ],
    );
    expect(Object.fromEntries([...layout.nodes].map(([id, n]) => [id, n.layer]))).toEqual({ words: 0, split: 1, count: 2, report: 3 });
    const xs = ['words', 'split', 'count', 'report'].map((id) => layout.nodes.get(id)!.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(layout.width).toBe(DEFAULT_BOX.margin * 2 + 4 * DEFAULT_BOX.nodeWidth + 3 * DEFAULT_BOX.columnGap);
  });

  it('places every node of a cycle, breaking it where it is entered', () => {
    const layout = layoutGraph(
      [
        { id: 's', type: 'spout' },
        { id: 'a', type: 'bolt' },
        { id: 'b', type: 'bolt' },
      ],
      [
        { from: 's', to: 'a', stream: 'default' },
        { from: 'a', to: 'b', stream: 'default' },
        { from: 'b', to: 'a', stream: 'retry' },
      ],
    );
    expect(layout.nodes.get('s')!.layer).toBe(0);
    expect(layout.nodes.get('a')!.layer).toBe(1);
    expect(layout.nodes.get('b')!.layer).toBe(2);
  });

  it('keeps nodes of one column apart and inside the drawing', () => {
    const nodes = [{ id: 's', type: 'spout' as const }, ...['x', 'y', 'z'].map((id) => ({ id, type: 'bolt' as const }))];
    const layout = layoutGraph(nodes, ['x', 'y', 'z'].map((to) => ({ from: 's', to, stream: 'default' })));
    const ys = ['x', 'y', 'z'].map((id) => layout.nodes.get(id)!.y).sort((a, b) => a - b);
    expect(ys[1] - ys[0]).toBeGreaterThanOrEqual(DEFAULT_BOX.nodeHeight);
    expect(ys[2] + DEFAULT_BOX.nodeHeight).toBeLessThanOrEqual(layout.height);
  });
});
