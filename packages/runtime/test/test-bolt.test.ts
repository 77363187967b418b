import { inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BasicBolt, Bolt, Spout, Topology, TopoError, type Tuple, type TupleOf } from '@topo/topology-dsl';
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
        const n = tuple.get('n') as number;
        if (n % 2 === 1) {
          this.fail(tuple);
          return;
        }
        this.emit([n / 2], { anchors: tuple });
        this.ack(tuple);
        if (n === 4) this.ack(tuple);
      }
    }
    const result = await testBolt(Parity, { inputs: [[1], [2], [3], [4]], inputFields: ['n'] });
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
    const result = await testBolt(TickGate, { inputs: [{ n: 0 }, { n: 1 }], config: { 'topology.tick.tuple.freq.secs': 0.02 } });
    expect(ticks).toBeGreaterThanOrEqual(3);
    expect(result.acked).toEqual([0, 1]);
    expect(result.failed).toEqual([]);
  });

  it('gives up, naming the bolt, when inputs are neither acked nor failed', async () => {
    class Silent extends Bolt {
      process(): void {}
    }
    await expect(testBolt(Silent, { inputs: [[1], [2]], inputFields: ['n'], timeoutMs: 200 })).rejects.toThrow('testBolt: Silent acked or failed 0 of 2 inputs before the timeout');
  });

  describe('input field names', () => {
    class Words extends Spout {
      static outputs = ['line', 'lang'] as const;
      declare static fieldTypes: { line: string; lang: string };
      nextTuple(): void {}
    }
    class Split extends BasicBolt {
      static outputs = ['word'] as const;
      process(tuple: TupleOf<typeof Words>): void {
        for (const word of tuple.get('line').split(' ')) this.emit([`${tuple.get('lang')}:${word}`]);
      }
    }
    class WordCount extends Topology {
      lines = Words.spec();
      split = Split.spec({ input: this.lines });
    }

    it('come from the stream the bolt is wired to when given its spec', async () => {
      const result = await testBolt(new WordCount().split, { inputs: [['a b', 'en']] });
      expect(result.errors).toEqual([]);
      expect(result.emitted.map((e) => e.values)).toEqual([['en:a'], ['en:b']]);
      expect(result.acked).toEqual([0]);
    });

    it('come from the keys of inputs given as objects', async () => {
      const result = await testBolt(Split, { inputs: [{ lang: 'de', line: 'x y' }] });
      expect(result.emitted.map((e) => e.values)).toEqual([['de:x'], ['de:y']]);
    });

    it('are asked for, naming the ways to give them, when a class gets value lists', async () => {
      // Once, field names defaulted to field0, field1, ...: every get() threw inside the
      // bolt and the test saw only failed inputs and an error that printed without its message.
      await expect(testBolt(Split, { inputs: [['a b', 'en']] })).rejects.toThrow(
        "testBolt: Split gets its inputs as value lists, so it needs their field names: pass inputFields: [...], give inputs as objects ({ field: value }), or pass the bolt's spec from its topology (testBolt(new MyTopology().split, ...))",
      );
    });

    it('must match an object input, naming the field that does not', async () => {
      await expect(testBolt(new WordCount().split, { inputs: [{ line: 'a', lnag: 'en' }] })).rejects.toThrow(
        "testBolt: input 0 of Split: missing lang; unknown lnag (the input's fields: line, lang)",
      );
    });

    it('leave a failing get() in errors with its message when printed or serialised', async () => {
      class Misread extends BasicBolt {
        process(tuple: Tuple): void {
          tuple.get('lnie');
        }
      }
      const result = await testBolt(Misread, { inputs: [{ line: 'a' }] });
      expect(result.failed).toEqual([0]);
      expect(JSON.stringify(result.errors)).toContain('"message":"stream default of input has no field lnie (fields: line)"');
      expect(inspect(result.errors[0])).toContain('TopoError: stream default of input has no field lnie (fields: line)');
    });
  });
});
