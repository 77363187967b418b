import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, TopoError, type Tuple } from '@topo/topology-dsl';
import { testBolt } from '@topo/runtime';

class Shout extends BasicBolt {
  static outputs = ['text'] as const;
  static streams = { lengths: ['length'] } as const;
  process(tuple: Tuple): void {
    const text = tuple.get('text') as string;
    if (text === '') throw new Error('nothing to shout');
    this.emit([text.toUpperCase()]);
    this.emit([text.length], { stream: 'lengths' });
  }
}

describe('testBolt', () => {
  it('reports what a BasicBolt emitted, acked and failed', async () => {
    const result = await testBolt(Shout, { inputs: [['hi'], [''], ['hello']], inputFields: ['text'] });
    expect(result.emitted).toEqual([
      { stream: 'default', values: ['HI'] },
      { stream: 'lengths', values: [2] },
      { stream: 'default', values: ['HELLO'] },
      { stream: 'lengths', values: [5] },
    ]);
    expect(result.acked).toEqual([0, 2]);
    expect(result.failed).toEqual([1]);
    expect(result.errors).toHaveLength(1);
    expect((result.errors[0] as Error).message).toBe('nothing to shout');
  });

  it('reports the acks and fails of an explicit-ack Bolt, and its misuse as errors', async () => {
    /** Acks even numbers (twice, by mistake, for 4), fails odd ones, and emits only for acked inputs. */
    class Parity extends Bolt {
      static outputs = ['half'] as const;
      process(tuple: Tuple): void {
        const n = tuple.get('field0') as number;
        if (n % 2 === 1) {
          this.fail(tuple);
          return;
        }
        this.emit([n / 2], { anchors: tuple });
        this.ack(tuple);
        if (n === 4) this.ack(tuple);
      }
    }
    const result = await testBolt(Parity, { inputs: [[1], [2], [3], [4]] });
    expect(result.emitted).toEqual([
      { stream: 'default', values: [1] },
      { stream: 'default', values: [2] },
    ]);
    expect(result.acked).toEqual([1, 3]);
    expect(result.failed).toEqual([0, 2]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toBeInstanceOf(TopoError);
    // testBolt runs the class as a component named `bolt`, fed by one named `input`.
    expect((result.errors[0] as Error).message).toBe('bolt acked a tuple from input that was already acked');
  });

  it('waits for async process() and acks after it resolves', async () => {
    const resolved: unknown[] = [];
    class Lookup extends BasicBolt {
      static outputs = ['key', 'value'] as const;
      async process(tuple: Tuple): Promise<void> {
        await sleep(2);
        this.emit([tuple.get('key'), `v-${tuple.get('key') as string}`]);
        resolved.push(tuple.get('key'));
      }
    }
    const result = await testBolt(Lookup, { inputs: [['a'], ['b']], inputFields: ['key'] });
    expect(result.emitted.map((e) => e.values)).toEqual([
      ['a', 'v-a'],
      ['b', 'v-b'],
    ]);
    expect(result.acked).toEqual([0, 1]);
    expect(resolved).toEqual(['a', 'b']);
  });

  it('does not report tick tuples as inputs', async () => {
    let ticks = 0;
    /** Acks every tuple it gets, ticks included, but holds the inputs until three ticks came. */
    class TickGate extends Bolt {
      private readonly held: Tuple[] = [];
      process(tuple: Tuple): void {
        if (!tuple.isTick()) {
          this.held.push(tuple);
          return;
        }
        this.ack(tuple);
        if (++ticks === 3) for (const input of this.held) this.ack(input);
      }
    }
    const result = await testBolt(TickGate, { inputs: [[0], [1]], config: { 'topology.tick.tuple.freq.secs': 0.02 } });
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(result.acked).toEqual([0, 1]);
    expect(result.failed).toEqual([]);
  });

  it('gives up, naming the bolt, when inputs are neither acked nor failed', async () => {
    class Silent extends Bolt {
      process(): void {}
    }
    await expect(testBolt(Silent, { inputs: [[1], [2]], timeoutMs: 200 })).rejects.toThrow('testBolt: Silent acked or failed 0 of 2 inputs before the timeout');
  });
});
