import { StatefulBolt, type KeyValueState } from '@topo/topology-dsl';
import { describe, expect, it } from 'vitest';
import { MemoryStateProvider } from '../src/state/memory-state.js';
import { StatefulTask, type AckerLink } from '../src/state/stateful-task.js';
import type { TupleImpl } from '../src/tuple-impl.js';

class Noop extends StatefulBolt {
  initState(_state: KeyValueState): void {}
  process(): void {}
}

/** An input of tree `i + 1` whose ack reports edge XOR `i`; every third belongs to a second tree as well. */
function input(i: number): TupleImpl {
  const more = i % 3 === 0 ? [-(i + 1), 5, i + 2, 9] : null;
  return { r0h: i + 1, r0l: 7, e0h: i, e0l: i ^ 0x5555, more } as unknown as TupleImpl;
}

/** What the ackers should hear for an input: one ack per tree, in order. */
function expectedAcks(i: number): number[][] {
  const t = input(i);
  return [[t.r0h, t.r0l, t.e0h, t.e0l], ...(t.more === null ? [] : [[...t.more]])];
}

function recordingAckers(): AckerLink & { acks: number[][]; fails: number[][] } {
  const acks: number[][] = [];
  const fails: number[][] = [];
  return {
    acks,
    fails,
    ackerAck: (rootHi, rootLo, xorHi, xorLo) => acks.push([rootHi, rootLo, xorHi, xorLo]),
    ackerFail: (rootHi, rootLo) => fails.push([rootHi, rootLo]),
  };
}

describe('StatefulTask', () => {
  // A word count at Storm's default (max spout pending unset) defers a second's words: hundreds of thousands.
  it('holds a checkpoint\'s acks (hundreds of thousands) and sends each tree\'s ack at the commit after their prepare, in order', async () => {
    const ackers = recordingAckers();
    const task = new StatefulTask(new Noop(), 'count-1', async () => new MemoryStateProvider(), ackers);
    await task.handle('INITSTATE', -1);
    for (let i = 0; i < 200_000; i++) task.defer(input(i));
    expect(await task.handle('PREPARE', 0)).toBe(true);
    // Acked after the prepare: held for the next checkpoint's commit.
    for (let i = 200_000; i < 300_000; i++) task.defer(input(i));
    expect(ackers.acks).toEqual([]);
    expect(await task.handle('COMMIT', 0)).toBe(true);
    expect(ackers.acks).toEqual(Array.from({ length: 200_000 }, (_, i) => expectedAcks(i)).flat());
    expect(await task.handle('PREPARE', 1)).toBe(true);
    expect(await task.handle('COMMIT', 1)).toBe(true);
    expect(ackers.acks).toEqual(Array.from({ length: 300_000 }, (_, i) => expectedAcks(i)).flat());
    expect(ackers.fails).toEqual([]);
  });

  it('fails every tree of the prepared and the not yet prepared inputs at a rollback, and acks none of them later', async () => {
    const ackers = recordingAckers();
    const task = new StatefulTask(new Noop(), 'count-1', async () => new MemoryStateProvider(), ackers);
    await task.handle('INITSTATE', -1);
    for (let i = 0; i < 10; i++) task.defer(input(i));
    await task.handle('PREPARE', 0);
    for (let i = 10; i < 20; i++) task.defer(input(i));
    await task.handle('ROLLBACK', 0);
    expect(ackers.fails).toEqual(Array.from({ length: 20 }, (_, i) => expectedAcks(i).map(([hi, lo]) => [hi, lo])).flat());
    await task.handle('PREPARE', 0);
    await task.handle('COMMIT', 0);
    expect(ackers.acks).toEqual([]);
  });

  it('holds nothing for an untracked input', async () => {
    const ackers = recordingAckers();
    const task = new StatefulTask(new Noop(), 'count-1', async () => new MemoryStateProvider(), ackers);
    await task.handle('INITSTATE', -1);
    task.defer({ r0h: 0, r0l: 0, e0h: 3, e0l: 4, more: null } as unknown as TupleImpl);
    await task.handle('PREPARE', 0);
    await task.handle('COMMIT', 0);
    expect(ackers.acks).toEqual([]);
  });
});
