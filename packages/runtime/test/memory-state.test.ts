import { describe, expect, it } from 'vitest';
import { MemoryState, MemoryStateProvider } from '../src/state/memory-state.js';

describe('the in-memory state provider', () => {
  const read = (state: MemoryState<number>) => ['a', 'b', 'c'].map((k) => state.get(k) ?? null);

  it("follows Storm's sequence of facts 2.8", async () => {
    const state = new MemoryState<number>();
    state.put('a', 1);
    state.put('b', 2);
    await state.prepareCommit(1);
    state.put('c', 3);
    expect(read(state)).toEqual([1, 2, 3]);
    await state.rollback();
    expect(read(state)).toEqual([null, null, null]);
    state.put('a', 1);
    state.put('b', 2);
    await state.prepareCommit(1);
    await state.commit(1);
    state.put('c', 3);
    expect(read(state)).toEqual([1, 2, 3]);
    await state.rollback();
    expect(read(state)).toEqual([1, 2, null]);
    state.put('c', 3);
    expect(state.delete('b')).toBe(2);
    expect(state.delete('c')).toBe(3);
    expect(read(state)).toEqual([1, null, null]);
    await state.prepareCommit(2);
    await state.commit(2);
    expect(read(state)).toEqual([1, null, null]);
    state.put('b', 2);
    await state.prepareCommit(3);
    state.put('c', 3);
    expect(read(state)).toEqual([1, 2, 3]);
    await state.rollback();
    expect(read(state)).toEqual([1, null, null]);
    expect(state.committedTxid).toBe(2);
  });

  it('copies the committed map on rollback, so later writes do not change the committed state (port note 6)', async () => {
    const state = new MemoryState<number>();
    state.put('a', 1);
    await state.prepareCommit(0);
    await state.commit(0);
    await state.rollback();
    state.put('a', 99);
    await state.rollback();
    expect(state.get('a')).toBe(1);
    expect([...state.committedEntries()]).toEqual([['a', 1]]);
  });

  it('accepts a commit of the last committed txid again, and refuses what Storm refuses', async () => {
    const state = new MemoryState<number>();
    state.put('a', 1);
    await state.prepareCommit(4);
    await state.commit(4);
    await state.commit(4);
    expect(state.committedTxid).toBe(4);
    await state.prepareCommit(5);
    await expect(state.commit(6)).rejects.toThrow('invalid prepared state for commit of txid 6 (prepared: 5)');
    await state.rollback();
    // A recovery's COMMIT reaching a task whose prepare died with its process changes nothing, and succeeds.
    await state.commit(5);
    expect(state.committedTxid).toBe(5);
    expect([...state.committedEntries()]).toEqual([['a', 1]]);
    await expect(state.prepareCommit(4)).rejects.toThrow('invalid txid 4 for prepare: txid 5 is already committed');
    await state.prepareCommit(6);
    await expect(state.prepareCommit(7)).rejects.toThrow('cannot prepare txid 7 while txid 6 is prepared');
    await state.prepareCommit(6);
    expect(() => state.put('b', undefined as unknown as number)).toThrow('use delete');
  });

  it('gives a namespace the same state again for the life of the provider', async () => {
    const provider = new MemoryStateProvider();
    const first = await provider.newState<number>('count-3');
    first.put('x', 1);
    expect(await provider.newState('count-3')).toBe(first);
    expect((await provider.newState('count-4')).size).toBe(0);
    expect(provider.durable).toBe(false);
  });
});
