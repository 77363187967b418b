import { describe, expect, it } from 'vitest';
import { seededRandom } from '@topo/runtime';
import { PendingTable } from '../src/acker/pending-table.js';

interface Entry {
  hi: number;
  lo: number;
  valHi: number;
  valLo: number;
  task: number;
}

const keyOf = (hi: number, lo: number) => `${hi}:${lo}`;

function insert(table: PendingTable, entry: Entry, generation = 0): void {
  const slot = table.slot(entry.hi, entry.lo, generation);
  table.xor(slot, entry.valHi, entry.valLo);
  table.setOwner(slot, entry.task);
}

/** Every entry of the model is in the table with its values, and the sizes agree. */
function expectHolds(table: PendingTable, model: Map<string, Entry>): void {
  expect(table.size).toBe(model.size);
  const wrong: string[] = [];
  for (const e of model.values()) {
    const slot = table.find(e.hi, e.lo);
    if (slot < 0) wrong.push(`root ${keyOf(e.hi, e.lo)} lost`);
    else if (table.rootHi(slot) !== e.hi || table.rootLo(slot) !== e.lo || table.xorHi(slot) !== e.valHi || table.xorLo(slot) !== e.valLo || table.owner(slot) !== e.task) {
      wrong.push(`root ${keyOf(e.hi, e.lo)} has the wrong values`);
    }
  }
  expect(wrong).toEqual([]);
}

describe('PendingTable', () => {
  it('keeps every remaining root findable through random inserts and removals', () => {
    const random = seededRandom(42);
    const int32 = () => (random() * 4294967296) | 0;
    const table = new PendingTable(16);
    const model = new Map<string, Entry>();
    const keys: string[] = [];
    const removed: Entry[] = [];
    for (let step = 0; step < 30_000; step++) {
      const r = random();
      if (r < 0.55 || model.size === 0) {
        // Low halves often share their low bits, so probe runs get long and wrap around.
        const lo = r < 0.3 ? int32() : ((int32() & ~0xff) | (r < 0.45 ? 0xff : 0x0f));
        const entry = { hi: r < 0.5 ? int32() : 7, lo, valHi: int32(), valLo: int32(), task: 1 + (step % 9) };
        if (model.has(keyOf(entry.hi, entry.lo))) continue;
        insert(table, entry);
        model.set(keyOf(entry.hi, entry.lo), entry);
        keys.push(keyOf(entry.hi, entry.lo));
      } else {
        const k = Math.floor(random() * keys.length);
        const victim = model.get(keys[k])!;
        keys[k] = keys[keys.length - 1];
        keys.pop();
        const slot = table.find(victim.hi, victim.lo);
        if (slot < 0) expect.fail(`step ${step}: root ${keyOf(victim.hi, victim.lo)} lost before its removal`);
        table.remove(slot);
        model.delete(keyOf(victim.hi, victim.lo));
        removed.push(victim);
      }
      if (step % 1000 === 999) expectHolds(table, model);
    }
    expectHolds(table, model);
    expect(removed.length).toBeGreaterThan(5000);
    const resurrected = removed.filter((e) => !model.has(keyOf(e.hi, e.lo)) && table.find(e.hi, e.lo) !== -1);
    expect(resurrected).toEqual([]);
  });

  it('shifts entries back across the end of the table when removing from a wrapped run', () => {
    const table = new PendingTable(16);
    // Roots with homes 14, 15, 0, 15, 0 fill slots 14, 15, 0, 1, 2 (the run wraps); one
    // more, home 1, lands in slot 3. Removing slot 14 must leave the home-15 and home-0
    // roots where they are, though their slots come cyclically after the hole.
    const wrapped = [14, 15, 0, 15, 0].map((home, k) => ({ hi: k + 1, lo: home, valHi: k * 10, valLo: k * 100, task: k + 1 }));
    const local = { hi: 9, lo: 1, valHi: 90, valLo: 900, task: 9 };
    const model = new Map<string, Entry>();
    for (const e of [...wrapped, local]) {
      insert(table, e);
      model.set(keyOf(e.hi, e.lo), e);
    }
    expect(table.capacity).toBe(16);
    for (const e of [wrapped[0], wrapped[2], local, wrapped[4]]) {
      table.remove(table.find(e.hi, e.lo));
      model.delete(keyOf(e.hi, e.lo));
      expectHolds(table, model);
    }
  });

  it('grows past three quarters full and keeps every root', () => {
    const random = seededRandom(7);
    const int32 = () => (random() * 4294967296) | 0;
    const table = new PendingTable(16);
    const model = new Map<string, Entry>();
    let maxLoad = 0;
    while (model.size < 20_000) {
      const e = { hi: int32(), lo: int32(), valHi: int32(), valLo: int32(), task: 3 };
      if (model.has(keyOf(e.hi, e.lo))) continue;
      insert(table, e);
      model.set(keyOf(e.hi, e.lo), e);
      maxLoad = Math.max(maxLoad, table.size / table.capacity);
    }
    expect(maxLoad).toBeLessThanOrEqual(0.75);
    expect(table.capacity).toBeGreaterThanOrEqual(32_768);
    expect(table.bytes).toBe(table.capacity * 24);
    expectHolds(table, model);
  });

  it('expire drops the roots of old generations, counting across the wrap at 256, and keeps the rest', () => {
    const table = new PendingTable(16);
    const byGeneration = new Map<number, Entry[]>();
    let hi = 1;
    for (const generation of [254, 255, 0, 1]) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ hi: hi++, lo: i * 16 + 3, valHi: generation, valLo: i, task: 2 }));
      for (const e of entries) insert(table, e, generation);
      byGeneration.set(generation, entries);
    }
    // Re-finding a root does not renew it: its generation is when it was created.
    table.slot(byGeneration.get(254)![0].hi, byGeneration.get(254)![0].lo, 1);

    expect(table.expire(1, 2)).toBe(20);
    const model = new Map<string, Entry>();
    for (const e of [...byGeneration.get(0)!, ...byGeneration.get(1)!]) model.set(keyOf(e.hi, e.lo), e);
    expectHolds(table, model);
    for (const e of [...byGeneration.get(254)!, ...byGeneration.get(255)!]) expect(table.find(e.hi, e.lo)).toBe(-1);

    expect(table.expire(3, 2)).toBe(20);
    expect(table.size).toBe(0);
  });
});
