import { StatefulBolt, type KeyValueState } from '@topo/topology-dsl';
import { describe, expect, it } from 'vitest';
import { MemoryStateProvider } from '../src/state/memory-state.js';
import { StatefulTask } from '../src/state/stateful-task.js';
import type { TupleImpl } from '../src/tuple-impl.js';

class Noop extends StatefulBolt {
  initState(_state: KeyValueState): void {}
  process(): void {}
}

describe('StatefulTask', () => {
  // A word count at Storm's default (max spout pending unset) defers a second's words: hundreds of thousands.
  it('holds and then sends more acks per checkpoint than a call can take as arguments', async () => {
    const sent: TupleImpl[] = [];
    const provider = new MemoryStateProvider();
    const task = new StatefulTask(new Noop(), 'count-1', async () => provider, { sendAck: (t) => sent.push(t), sendFail: () => {} });
    await task.handle('INITSTATE', -1);
    const inputs = Array.from({ length: 300_000 }, (_, i) => ({ i }) as unknown as TupleImpl);
    for (const input of inputs.slice(0, 200_000)) task.defer(input);
    expect(await task.handle('PREPARE', 0)).toBe(true);
    // Acked after the prepare: held for the next checkpoint's commit.
    for (const input of inputs.slice(200_000)) task.defer(input);
    expect(await task.handle('COMMIT', 0)).toBe(true);
    expect(sent.length).toBe(200_000);
    expect(await task.handle('PREPARE', 1)).toBe(true);
    expect(await task.handle('COMMIT', 1)).toBe(true);
    expect(sent).toEqual(inputs);
  });
});
