import { describe, expect, it } from 'vitest';
import { seededRandom } from '@topo/runtime';
import { StreamFields, TupleImpl } from '../src/tuple-impl.js';

/** Root -> XOR of its edges, read from a tuple's bookkeeping. */
function edgesByRoot(tuple: TupleImpl): Map<string, string> {
  const map = new Map<string, string>();
  const put = (hi: number, lo: number, eh: number, el: number) => map.set(`${hi}:${lo}`, `${eh}:${el}`);
  put(tuple.r0h, tuple.r0l, tuple.e0h, tuple.e0l);
  const more = tuple.more ?? [];
  for (let i = 0; i < more.length; i += 4) put(more[i], more[i + 1], more[i + 2], more[i + 3]);
  return map;
}

describe('a tuple anchored to many roots (a window result)', () => {
  it('keeps one entry per root with the XOR of its edges, past the size where roots are indexed, duplicates and shared low halves included', () => {
    const random = seededRandom(7);
    const fields = new StreamFields('c', 'default', ['n']);
    const roots = Array.from({ length: 60 }, (_, i) => [(random() * 2 ** 31) | 0, i % 7 === 0 ? 12345 : (random() * 2 ** 31) | 0]);
    const expected = new Map<string, [number, number]>();
    const tuple = new TupleImpl([1], fields, 1);
    const other = new TupleImpl([2], fields, 1);
    for (let round = 0; round < 3; round++) {
      for (const [hi, lo] of roots) {
        const edge = [(random() * 2 ** 31) | 0, (random() * 2 ** 31) | 0];
        tuple.addEdge(hi, lo, edge[0], edge[1]);
        // Interleaved with another long list, so the index moves between tuples.
        other.addEdge(hi, lo, 1, 1);
        const key = `${hi}:${lo}`;
        const [eh, el] = expected.get(key) ?? [0, 0];
        expected.set(key, [eh ^ edge[0], el ^ edge[1]]);
      }
    }
    expect(edgesByRoot(tuple)).toEqual(new Map([...expected].map(([k, [h, l]]) => [k, `${h}:${l}`])));
    expect(edgesByRoot(tuple).size).toBe(60);
    expect((tuple.more ?? []).length).toBe(59 * 4);
  });
});
