import { describe, expect, it } from 'vitest';
import { seededRandom } from '@topo/runtime';
import { PendingTrees } from '../src/executor/pending-trees.js';

interface Tree {
  hi: number;
  lo: number;
  msgId: unknown;
  start: number;
  timed: boolean;
}

const keyOf = (hi: number, lo: number) => `${hi}:${lo}`;

/** Empties the table oldest first, as the timeout sweep does, returning the msgIds in that order. */
function drainOldestFirst(trees: PendingTrees): unknown[] {
  const order: unknown[] = [];
  for (let i = trees.oldest; i !== -1; i = trees.oldest) {
    order.push(trees.msgId(i));
    trees.remove(i);
  }
  return order;
}

describe('PendingTrees', () => {
  it('finds every pending tree and keeps emit order through random adds, removals and growth', () => {
    const random = seededRandom(7);
    const int32 = () => (random() * 4294967296) | 0;
    const trees = new PendingTrees(16);
    const model = new Map<string, Tree>();
    const keys: string[] = [];
    let clock = 0;
    for (let step = 0; step < 40_000; step++) {
      const r = random();
      if (r < 0.6 || model.size === 0) {
        // Low halves that share their low bits crowd one bucket, so chains get long.
        const lo = r < 0.3 ? int32() : (int32() & ~0x3ff) | 0x2a;
        const hi = int32();
        if (model.has(keyOf(hi, lo))) continue;
        const tree = { hi, lo, msgId: { step }, start: clock++, timed: r < 0.1 };
        trees.add(hi, lo, tree.msgId, 0, tree.start, tree.timed);
        model.set(keyOf(hi, lo), tree);
        keys.push(keyOf(hi, lo));
      } else {
        const k = Math.floor(random() * keys.length);
        const victim = model.get(keys[k])!;
        keys[k] = keys[keys.length - 1];
        keys.pop();
        const i = trees.find(victim.hi, victim.lo);
        expect(i).not.toBe(-1);
        expect(trees.msgId(i)).toBe(victim.msgId);
        trees.remove(i);
        model.delete(keyOf(victim.hi, victim.lo));
        expect(trees.find(victim.hi, victim.lo)).toBe(-1);
      }
    }
    expect(trees.size).toBe(model.size);
    const lost: string[] = [];
    for (const tree of model.values()) {
      const i = trees.find(tree.hi, tree.lo);
      if (i === -1 || trees.msgId(i) !== tree.msgId || trees.start(i) !== tree.start || trees.isTimed(i) !== tree.timed) lost.push(keyOf(tree.hi, tree.lo));
    }
    expect(lost).toEqual([]);
    const expected = [...model.values()].sort((a, b) => a.start - b.start).map((t) => t.msgId);
    expect(drainOldestFirst(trees)).toEqual(expected);
    expect(trees.size).toBe(0);
  });

  it('reuses the indices of removed trees instead of growing', () => {
    const trees = new PendingTrees(16);
    for (let round = 0; round < 1000; round++) {
      for (let k = 1; k <= 16; k++) trees.add(round, k, k, 0, round, false);
      for (let k = 1; k <= 16; k++) trees.remove(trees.find(round, k));
    }
    expect(trees.capacity).toBe(16);
    expect(trees.oldest).toBe(-1);
  });

  it('lets go of the message id of a removed tree', () => {
    const trees = new PendingTrees(16);
    trees.add(1, 2, { payload: 'x' }, 0, 0, true);
    const i = trees.find(1, 2);
    trees.remove(i);
    expect(trees.msgId(i)).toBeUndefined();
  });

  it('keeps a settled tree out of lookups, the emit order and a growth, until it is released', () => {
    const trees = new PendingTrees(16);
    const settled = trees.add(7, 7, 'settled', 0, 0, false, 0x55, 0x66);
    expect(trees.xor(settled, 0x55, 0x66)).toBe(true);
    trees.settle(settled);
    // Fill past the capacity: the growth rehashes every entry but the settled one.
    for (let k = 0; k < 40; k++) trees.add(k, 1000 + k, k, 0, k + 1, false, k + 1, 0);
    expect(trees.capacity).toBeGreaterThan(16);
    expect(trees.find(7, 7)).toBe(-1);
    expect(trees.msgId(settled)).toBe('settled');
    expect(drainOldestFirst(trees)).toEqual(Array.from({ length: 40 }, (_, k) => k));
    expect(trees.size).toBe(1);
    trees.release(settled);
    expect(trees.size).toBe(0);
    expect(trees.msgId(settled)).toBeUndefined();
  });

  it('says when the XOR of a tree reaches zero, whatever the order of its edges', () => {
    const trees = new PendingTrees(16);
    const i = trees.add(1, 2, 'm', 0, 0, false, 0b1100, 0b0011);
    expect(trees.xor(i, 0b0100, 0)).toBe(false);
    expect(trees.xor(i, 0b1001, 0b0011)).toBe(false);
    expect(trees.xor(i, 0b0001, 0)).toBe(true);
  });
});
