import path from 'node:path';
import { PYTHON_ADAPTER_PATH, ShellBolt, ShellSpout, type SerializerName } from '@topo/multilang';
import { Bolt, Topology, type Tuple } from '@topo/topology-dsl';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPONENTS, pythonWithMsgpack, runTopology, waitFor, type Run } from './support/harness.js';
import { Ledger, ledgerSpout } from './support/ledger-spout.js';
import { Sink } from './support/scripted-topology.js';

let run: Run | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const shell = (script: string, args: string[] = [], serializer?: SerializerName) => ({
  command: serializer === 'msgpack' ? pythonWithMsgpack : 'python3',
  args: [script, ...args],
  cwd: path.join(COMPONENTS, 'python'),
  env: { PYTHONPATH: PYTHON_ADAPTER_PATH },
  serializer,
});
const protocolLogs = (r: Run, component: string) => r.logsOf(component).filter((m) => /^pid \d+: /.test(m)).map((m) => m.replace(/^pid \d+: /, ''));

describe('topo_multilang.py, Topo’s Python adapter', () => {
  it.each<SerializerName>(['json', 'msgpack'])('runs a BasicBolt over %s: anchored emits, acks, print() to the log, a raise failed and replayed, task ids on request, metrics, direct emits, ticks', async (serializer) => {
    const ledger = new Ledger([
      ['echo', 0],
      ['print', 1],
      ['raise', 2],
      ['taskids', 3],
      ['metric', 4],
      ['direct:3', 5],
    ]);
    const Feed = ledgerSpout(ledger, ['action', 'n']);
    class Actions extends Topology {
      feed = Feed.spec();
      actions = ShellBolt.spec({
        ...shell('adapter_bolt.py', [], serializer),
        outputs: ['action', 'n'],
        streams: { direct: { fields: ['action', 'n'], direct: true } },
        tickSecs: 1,
        input: this.feed,
      });
      sink = Sink.spec({ input: this.actions });
      directSink = Sink.spec({ input: this.actions.stream('direct').direct() });
    }
    run = await runTopology(Actions);
    await waitFor(() => ledger.complete() && run!.valuesOf('actions').some((v) => v[0] === 'tick'), 'every tree acked and a tick');
    // Tasks: __acker 1, actions 2, directSink 3, feed 4, sink 5.
    expect(protocolLogs(run, 'actions')).toEqual(['initialized task 2 of actions in Actions', 'printed 1', 'task ids [5]']);
    expect(ledger.failed).toEqual([2]);
    expect(run.errors.map((e) => (e.error as Error).message)).toEqual([expect.stringMatching(/reported: Traceback[\s\S]*ValueError: bad 2/)]);
    // The subprocess's `error` command is the component's kept error, its traceback in the text.
    expect(run.worker.errorLog.of('actions')).toEqual([
      expect.objectContaining({ component: 'actions', task: 2, source: 'reportError', summary: expect.stringMatching(/^actions \(task 2, pid \d+\) reported: Traceback/), error: expect.stringMatching(/ValueError: bad 2/) }),
    ]);
    expect(run.valuesOf('actions', 'default').filter((v) => v[0] !== 'tick').sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['echo', 0],
      ['print', 1],
      ['raise', 2],
      ['taskids', 3],
      ['metric', 4],
    ]);
    expect(run.valuesOf('actions', 'direct')).toEqual([['direct:3', 5]]);
    expect(run.worker.metrics().find((m) => m.component === 'actions')!.custom).toEqual({ 'py.count': 3 });
  });

  it('runs a Spout: tracked emits, acks heard, failed ids emitted again', async () => {
    let failed = false;
    class FailThree extends Bolt {
      process(tuple: Tuple): void {
        if (tuple.values[1] === 3 && !failed) {
          failed = true;
          this.fail(tuple);
        } else this.ack(tuple);
      }
    }
    class Counting extends Topology {
      count = ShellSpout.spec({ ...shell('adapter_spout.py', ['6']), outputs: ['kind', 'n'] });
      sink = FailThree.spec({ input: this.count });
    }
    run = await runTopology(Counting);
    await waitFor(() => run!.worker.metrics().find((m) => m.component === 'count')!.acked === 6, 'six trees acked');
    expect(run.valuesOf('count').map((v) => v[1])).toEqual([0, 1, 2, 3, 4, 5, 3]);
    await waitFor(() => protocolLogs(run!, 'count').length === 6, 'six acks heard');
    expect(protocolLogs(run, 'count').sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `acked ${i}`));
  });
});
