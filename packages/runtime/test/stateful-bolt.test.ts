import { describe, expect, it } from 'vitest';
import { Bolt, StatefulBolt, type KeyValueState, type StatefulBoltHooks, type Tuple } from '@topo/topology-dsl';
import { testBolt, type TestBoltStep } from '@topo/runtime';

/** Calls of the hooks and of initState, in order, across the runs of a test. */
const calls: string[] = [];

class WordCount extends StatefulBolt<number> implements StatefulBoltHooks {
  static outputs = ['word', 'count'] as const;
  private counts!: KeyValueState<number>;
  initState(state: KeyValueState<number>): void {
    calls.push(`initState ${JSON.stringify(Object.fromEntries(state.entries()))}`);
    this.counts = state;
  }
  process(tuple: Tuple): void {
    const word = tuple.get('word') as string;
    const count = (this.counts.get(word) ?? 0) + 1;
    this.counts.put(word, count);
    this.emit([word, count]);
  }
  prePrepare(txid: number): void {
    calls.push(`prePrepare ${txid}`);
  }
  preCommit(txid: number): void {
    calls.push(`preCommit ${txid}`);
  }
  preRollback(): void {
    calls.push('preRollback');
  }
}

const word = (w: string): TestBoltStep => ({ input: { word: w } });

describe('a StatefulBolt under testBolt', () => {
  it('defers acks to the commit after them (scenario 5.11)', async () => {
    calls.length = 0;
    const result = await testBolt(WordCount, {
      steps: [{ checkpoint: 'INITSTATE', txid: -1 }, word('a'), word('b'), word('a'), { checkpoint: 'PREPARE', txid: 0 }, word('c'), { checkpoint: 'COMMIT', txid: 0 }],
    });
    // The bolt acked all four; only a, b, a reached the acker, at COMMIT 0; c waits for COMMIT 1.
    expect(result.acked).toEqual([0, 1, 2, 3]);
    expect(result.completed).toEqual([0, 1, 2]);
    expect(result.committedState).toEqual({ a: 2, b: 1 });
    expect(result.state).toEqual({ a: 2, b: 1, c: 1 });
    expect(result.checkpoints.map((c) => `${c.checkpoint} ${c.txid} ${c.result}`)).toEqual(['INITSTATE -1 acked', 'PREPARE 0 acked', 'COMMIT 0 acked']);
    expect(calls).toEqual(['initState {}', 'prePrepare 0', 'preCommit 0']);
  });

  it('fails the inputs since the last commit at a rollback, and rolls the state back (scenario 5.11)', async () => {
    calls.length = 0;
    const result = await testBolt(WordCount, {
      steps: [
        { checkpoint: 'INITSTATE', txid: -1 },
        word('a'),
        word('b'),
        word('a'),
        { checkpoint: 'PREPARE', txid: 0 },
        word('c'),
        { checkpoint: 'COMMIT', txid: 0 },
        { checkpoint: 'PREPARE', txid: 1 },
        { checkpoint: 'ROLLBACK', txid: 1 },
      ],
    });
    expect(result.completed).toEqual([0, 1, 2]);
    expect(result.state).toEqual({ a: 2, b: 1 });
    expect(result.committedState).toEqual({ a: 2, b: 1 });
    expect(calls).toEqual(['initState {}', 'prePrepare 0', 'preCommit 0', 'prePrepare 1', 'preRollback']);
  });

  it('starts from a given committed state, calls initState once, and ignores a later INITSTATE', async () => {
    calls.length = 0;
    const result = await testBolt(WordCount, {
      state: { a: 10 },
      steps: [{ checkpoint: 'INITSTATE', txid: -1 }, word('a'), { checkpoint: 'INITSTATE', txid: -1 }, { checkpoint: 'PREPARE', txid: 0 }, { checkpoint: 'COMMIT', txid: 0 }],
    });
    expect(calls).toEqual(['initState {"a":10}', 'prePrepare 0', 'preCommit 0']);
    expect(result.emitted).toEqual([{ stream: 'default', values: ['a', 11] }]);
    expect(result.committedState).toEqual({ a: 11 });
  });

  it('fails a PREPARE before INITSTATE (no forward) and still handles ROLLBACK and COMMIT there', async () => {
    calls.length = 0;
    const result = await testBolt(WordCount, {
      inputFields: ['word'],
      steps: [
        { checkpoint: 'PREPARE', txid: 100 },
        { checkpoint: 'ROLLBACK', txid: 100 },
        { checkpoint: 'COMMIT', txid: 100 },
        { checkpoint: 'INITSTATE', txid: 100 },
      ],
    });
    expect(result.checkpoints.map((c) => `${c.checkpoint} ${c.result}`)).toEqual(['PREPARE failed', 'ROLLBACK acked', 'COMMIT acked', 'INITSTATE acked']);
    expect(calls).toEqual(['preRollback', 'preCommit 100', 'initState {}']);
  });

  it('runs the default script: INITSTATE, the inputs, PREPARE 0 and COMMIT 0', async () => {
    const result = await testBolt(WordCount, { inputs: [{ word: 'x' }, { word: 'x' }] });
    expect(result.completed).toEqual([0, 1]);
    expect(result.committedState).toEqual({ x: 2 });
  });

  it('refuses inputs before the first INITSTATE, which a stateful topology never delivers', async () => {
    await expect(testBolt(WordCount, { steps: [word('a')] })).rejects.toThrow("put a { checkpoint: 'INITSTATE', txid: -1 } step before step 0");
  });

  it('throws on an unanchored emit from a plain Bolt in a stateful topology', async () => {
    class Unanchored extends StatefulBolt {
      static outputs = ['x'] as const;
      static override autoAck = false;
      initState(): void {}
      process(tuple: Tuple): void {
        try {
          this.emit([1]);
        } finally {
          this.ack(tuple);
        }
      }
    }
    const result = await testBolt(Unanchored as unknown as typeof Bolt & (new () => Bolt), { inputs: [{ x: 1 }] });
    expect(String(result.errors[0])).toContain('Bolts in a stateful topology must emit anchored tuples.');
  });
});
