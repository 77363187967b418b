import path from 'node:path';
import { ShellBolt } from '@topo/multilang';
import { Topology, type TopologyClass } from '@topo/topology-dsl';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPONENTS, outlast, runTopology, silenceTimeout, waitFor, type Run } from './support/harness.js';
import { Ledger, ledgerSpout } from './support/ledger-spout.js';
import { Sink } from './support/scripted-topology.js';

let run: Run | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const words = ['apple', 'fig', 'banana', 'kiwi', 'cherry', 'plum', 'date', 'lime'];

function wordTopology(ledger: Ledger, command: string, args: string[], dir: string, tickSecs?: number): TopologyClass {
  const Words = ledgerSpout(ledger, ['word']);
  return class Lengths extends Topology {
    words = Words.spec();
    lengths = ShellBolt.spec({
      command,
      args,
      cwd: path.join(COMPONENTS, dir),
      outputs: ['word', 'length'],
      streams: { direct: { fields: ['word', 'length'], direct: true } },
      p: 2,
      tickSecs,
      input: this.words,
    });
    sink = Sink.spec({ input: this.lengths });
    directSink = Sink.spec({ p: 2, input: this.lengths.stream('direct').direct() });
  };
}

const lengthsOut = (r: Run) => r.valuesOf('lengths', 'default').sort((a, b) => String(a[0]).localeCompare(String(b[0])));
const expected = [...words].sort().map((w) => [w, w.length]);

describe('a Ruby bolt (storm.rb style: blocks for task ids, pid file after the reply)', () => {
  it('emits anchored, acks, fails (replayed), answers heartbeats and acks ticks, over two tasks', async () => {
    const ledger = new Ledger([...words.map((w) => [w]), ['fail']]);
    run = await runTopology(wordTopology(ledger, 'ruby', ['echo_bolt.rb'], 'ruby', 1), silenceTimeout(2));
    await waitFor(() => ledger.acked.size === words.length, 'every word acked');
    expect(lengthsOut(run)).toEqual(expected);
    // "fail" is failed every time: its spout keeps replaying it.
    await waitFor(() => ledger.failed.length >= 2, 'two fails of "fail"');
    // Survive a few heartbeats and ticks at a 2 s timeout.
    await outlast(2);
    expect(run.errors).toEqual([]);
    expect(run.logsOf('lengths').filter((m) => m.includes('went to [6]'))).toHaveLength(words.length);
  });
});

describe('a Node bolt (storm.js style: splits on "\\nend\\n", throws on a task-id list it did not expect)', () => {
  it('emits anchored and acks, getting task ids for each emit in order', async () => {
    const ledger = new Ledger(words.map((w) => [w]));
    run = await runTopology(wordTopology(ledger, process.execPath, ['echo_bolt.mjs'], 'node'));
    await waitFor(() => ledger.complete(), 'every word acked');
    expect(lengthsOut(run)).toEqual(expected);
    expect(run.errors).toEqual([]);
  });

  it('gets no task ids for direct emits or for emits with need_task_ids false (it would throw and exit)', async () => {
    // Tasks: __acker 1, directSink 2 and 3, lengths 4 and 5, sink 6, words 7.
    const ledger = new Ledger([['direct:2'], ['direct:3'], ...words.map((w) => [w])]);
    run = await runTopology(wordTopology(ledger, process.execPath, ['echo_bolt.mjs', '--need-task-ids-false'], 'node'));
    await waitFor(() => ledger.complete(), 'every tuple acked');
    expect(run.valuesOf('lengths', 'direct').sort()).toEqual([['direct:2', 8], ['direct:3', 8]]);
    expect(run.worker.metrics().find((m) => m.component === 'directSink')!.executed).toBe(2);
    expect(run.errors).toEqual([]);
    expect(run.logsOf('lengths').filter((m) => m.includes('went to'))).toEqual([]);
  });
});
