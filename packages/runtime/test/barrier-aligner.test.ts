import { describe, expect, it } from 'vitest';
import { BarrierAligner } from '../src/state/barrier-aligner.js';
import { StreamFields, TupleImpl } from '../src/tuple-impl.js';

const fields = new StreamFields('split', 'default', ['word']);
const tuple = (word: string, channel: number) => new TupleImpl([word], fields, channel);

describe('barrier alignment', () => {
  it("holds a channel's tuples once its barrier arrived, until every channel's has", () => {
    const aligner = new BarrierAligner(new Set([4, 5, 6]), true);
    expect(aligner.holds(4)).toBe(false);
    expect(aligner.arrive(4, 'PREPARE 3')).toBe('wait');
    expect(aligner.holds(4)).toBe(true);
    expect(aligner.holds(5)).toBe(false);
    aligner.held.push(tuple('after-barrier', 4));
    expect(aligner.arrive(6, 'PREPARE 3')).toBe('wait');
    expect(aligner.holds(6)).toBe(true);
    aligner.held.push(tuple('also-after', 6));
    expect(aligner.arrive(5, 'PREPARE 3')).toBe('complete');
    expect(aligner.holds(4)).toBe(false);
    expect(aligner.release().map((t) => t.values[0])).toEqual(['after-barrier', 'also-after']);
    expect(aligner.held).toEqual([]);
  });

  it('reports a barrier that meets an open alignment for another one (whose checkpoint failed)', () => {
    const aligner = new BarrierAligner(new Set([1, 2]), true);
    expect(aligner.arrive(1, 'PREPARE 7')).toBe('wait');
    expect(aligner.arrive(2, 'ROLLBACK 7')).toBe('conflict');
    aligner.release();
    expect(aligner.holds(1)).toBe(false);
    expect(aligner.arrive(2, 'ROLLBACK 7')).toBe('wait');
    expect(aligner.arrive(1, 'ROLLBACK 7')).toBe('complete');
  });

  it("counts copies without holding anything when unaligned (Storm's), and resets the counts", () => {
    const aligner = new BarrierAligner(new Set([1, 2, 3]), false);
    expect(aligner.arrive(1, 'PREPARE 1')).toBe('wait');
    expect(aligner.holds(1)).toBe(false);
    expect(aligner.arrive(2, 'PREPARE 1')).toBe('wait');
    // Storm's quirk: without a reset, the retry of PREPARE 1 would complete after one more copy.
    aligner.resetCounts();
    expect(aligner.arrive(1, 'PREPARE 1')).toBe('wait');
    expect(aligner.arrive(2, 'PREPARE 1')).toBe('wait');
    expect(aligner.arrive(3, 'PREPARE 1')).toBe('complete');
  });
});
