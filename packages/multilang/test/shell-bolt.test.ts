import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporaryDir } from '@topo/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { marksDir, pythonWithMsgpack, runTopology, silenceTimeout, waitFor, type Run } from './support/harness.js';
import { items, scriptedTopology } from './support/scripted-topology.js';

let run: Run | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

const sinkValues = (r: Run) => r.valuesOf('scripted', 'default').filter((v) => v[0] !== 'tick');
const startedCount = (r: Run) => r.logsOf('scripted').filter((m) => m.includes('stderr: started task')).length;

describe('ShellBolt with a Python bolt speaking the protocol (storm.py style: blocks for task ids)', () => {
  it('writes every input, and its anchored emits and acks complete every tree', async () => {
    const { topology, ledger } = scriptedTopology(items('echo', 0, 50));
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(sinkValues(run).map((v) => v[1]).sort((a, b) => Number(a) - Number(b))).toEqual(items('echo', 0, 50).map((v) => v[1]));
    expect(ledger.failed).toEqual([]);
    expect(run.errors).toEqual([]);
    const sink = run.worker.metrics().find((m) => m.component === 'sink')!;
    expect(sink.executed).toBe(50);
  });

  it('passes a fail of an input on to its spout, which replays it', async () => {
    const { topology, ledger } = scriptedTopology([['echo', 0], ['fail', 1], ['echo', 2]], { marks: marksDir() });
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(ledger.failed).toEqual([1]);
    expect(run.errors).toEqual([]);
  });

  it('anchors one emit to several inputs: their trees complete only through it', async () => {
    const { topology, ledger } = scriptedTopology([['hold', 0], ['hold', 1], ['release', 2]]);
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(sinkValues(run)).toEqual([['release', 2]]);
    expect(run.worker.metrics().find((m) => m.component === 'scripted')!.acked).toBe(3);
  });

  it('logs at the level it asks for (0 trace .. 4 error, anything else info), naming the component, task and pid', async () => {
    const values = [0, 1, 2, 3, 4, 9].map((level, n) => [`log:${level}`, n]);
    const { topology, ledger } = scriptedTopology(values);
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    const logs = run.logs.filter((l) => /pid \d+: log \d$/.test(l.message));
    expect(logs.map((l) => [l.component, l.level, l.message.slice(-5)])).toEqual([
      ['scripted', 'trace', 'log 0'],
      ['scripted', 'debug', 'log 1'],
      ['scripted', 'info', 'log 2'],
      ['scripted', 'warn', 'log 3'],
      ['scripted', 'error', 'log 4'],
      ['scripted', 'info', 'log 5'],
    ]);
    expect(logs.every((l) => l.task === 4)).toBe(true);
  });

  it('reports an `error` command as the component’s error without stopping it', async () => {
    const { topology, ledger } = scriptedTopology([['error', 7], ['echo', 8]]);
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(run.errors.map((e) => [e.component, e.task, (e.error as Error).message.replace(/pid \d+/, 'pid N')])).toEqual([
      ['scripted', 4, 'scripted (task 4, pid N) reported: trouble with 7'],
    ]);
    expect(run.worker.metrics().find((m) => m.component === 'scripted')!.errors).toBe(1);
    expect(startedCount(run)).toBe(1);
  });

  it('adds `metrics` to the component’s metrics', async () => {
    const { topology, ledger } = scriptedTopology([['metric:2', 0], ['metric:3', 1]]);
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(run.worker.metrics().find((m) => m.component === 'scripted')!.custom).toEqual({ 'scripted.count': 5 });
  });

  it('routes direct emits to the task named, and sends no task ids for them', async () => {
    const { topology, ledger } = scriptedTopology([['direct:3', 0], ['direct:2', 1], ['stream:other', 2]]);
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    // Tasks are numbered in sorted component order: __acker 1, directSink 2 and 3, scripted 4, sink 5, source 6.
    expect(run.valuesOf('scripted', 'direct')).toEqual([['direct:3', 0], ['direct:2', 1]]);
    expect(run.worker.metrics().find((m) => m.component === 'directSink')!.executed).toBe(3);
    expect(run.valuesOf('scripted', 'other')).toEqual([['stream:other', 2]]);
    // A task-id reply to a direct emit would reach the bolt as a command it cannot read, and it would exit.
    expect(run.errors).toEqual([]);
    expect(startedCount(run)).toBe(1);
  });

  it('answers each non-direct emit with its task ids, in order', async () => {
    const { topology, ledger } = scriptedTopology([['taskids', 0], ['taskids', 1]]);
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    // sink is task 5: every emit on default goes there.
    expect(run.logsOf('scripted').filter((m) => m.includes('task ids')).map((m) => m.replace(/^pid \d+: /, ''))).toEqual(['task ids [5]', 'task ids [5]']);
  });

  it('fails an input it cannot encode and reports it, leaving the subprocess alone', async () => {
    const { topology, ledger } = scriptedTopology([['echo', 0], ['echo', 10n], ['echo', 2]]);
    run = await runTopology(topology);
    await waitFor(() => ledger.acked.size === 2 && ledger.failed.length >= 1, 'two trees acked and the third failed');
    expect((run.errors[0].error as Error).message).toMatch(/^scripted: cannot send a tuple from source to its subprocess as json: .*BigInt/);
    expect(startedCount(run)).toBe(1);
  });

  it('logs its stderr line by line (LF and CRLF), naming the pid', async () => {
    const { topology, ledger } = scriptedTopology([['print', 5]]);
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    await waitFor(() => run!.logsOf('scripted').some((m) => m.endsWith('and a second line')), 'the second stderr line');
    const lines = run.logsOf('scripted').filter((m) => m.includes('stderr: ')).map((m) => m.replace(/^pid \d+ /, ''));
    expect(lines).toEqual(['stderr: started task 4 of scripted', 'stderr: stderr says 5', 'stderr: and a second line']);
  });

  it('delivers tick tuples, which the component acks', async () => {
    const { topology } = scriptedTopology([], { tickSecs: 1 });
    run = await runTopology(topology);
    await waitFor(() => run!.valuesOf('scripted').filter((v) => v[0] === 'tick').length >= 2, 'two ticks', 10_000);
    expect(run.valuesOf('scripted').filter((v) => v[0] === 'tick')[0]).toEqual(['tick', 1]);
    expect(run.errors).toEqual([]);
  });

  it('gives a subprocess topo.shell.handshake.timeout.secs to answer the handshake, however much shorter the silence it is allowed once running', async () => {
    // The handshake comes 2 s after the start, later than the 1 s silence timeout allows.
    const { topology, ledger } = scriptedTopology(items('echo', 0, 3), { args: ['--handshake-delay', '2'] });
    run = await runTopology(topology, silenceTimeout(1));
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(run.errors).toEqual([]);
    expect(startedCount(run)).toBe(1);
  });

  it('sends a heartbeat about once a second, which the component answers with sync', async () => {
    const { topology } = scriptedTopology([]);
    run = await runTopology(topology, silenceTimeout(2));
    await waitFor(() => run!.logsOf('scripted').filter((m) => m.endsWith(': heartbeat')).length >= 3, 'three heartbeats', 10_000);
    // Answering heartbeats is what keeps an idle subprocess within its 2 s timeout.
    expect(run.errors).toEqual([]);
    expect(startedCount(run)).toBe(1);
  });

  it('hands the subprocess Storm’s handshake: pidDir, the merged config and the context of the user topology', async () => {
    const dump = path.join(temporaryDir('topo-setup-'), 'setup.json');
    const { topology } = scriptedTopology([], { args: ['--dump-setup', dump] });
    run = await runTopology(topology, { 'custom.key': 'value' });
    await waitFor(() => run!.logsOf('scripted').some((m) => m.includes('started task')), 'the subprocess to start');
    const setup = JSON.parse(readFileSync(dump, 'utf8'));
    expect(setup.pidDir).toMatch(/topo-pids-scripted-4-/);
    expect(setup.conf).toMatchObject({ 'custom.key': 'value', 'topology.name': 'Scripted', 'topology.shellbolt.max.pending': 100 });
    // Every task (the acker's too); its own streams with the system ones; only declared
    // streams of its sources and subscribers, which pystorm turns into namedtuples.
    expect(setup.context).toEqual({
      'task->component': { '1': '__acker', '2': 'directSink', '3': 'directSink', '4': 'scripted', '5': 'sink', '6': 'source' },
      taskid: 4,
      componentid: 'scripted',
      streams: ['default', 'other', 'direct', '__system', '__metrics', '__ack_ack', '__ack_fail', '__ack_reset_timeout'],
      'stream->outputfields': {
        default: ['action', 'n'],
        other: ['action', 'n'],
        direct: ['action', 'n'],
        __system: ['event'],
        __metrics: ['task-info', 'data-points'],
        __ack_ack: ['id', 'ack-val'],
        __ack_fail: ['id'],
        __ack_reset_timeout: ['id'],
      },
      'stream->target->grouping': {
        default: { sink: { type: 'SHUFFLE' } },
        direct: { directSink: { type: 'DIRECT' } },
        other: { directSink: { type: 'SHUFFLE' } },
      },
      'source->stream->grouping': { source: { default: { type: 'SHUFFLE' } } },
      'source->stream->fields': { source: { default: ['action', 'n'] } },
    });
  });

  it('gives source fields a pystorm-style bolt can turn into namedtuples at startup', async () => {
    // pystorm makes a namedtuple per source stream; a system field such as "init-val" would kill it before its first tuple.
    const { topology, ledger } = scriptedTopology(items('named', 0, 5), { args: ['--named-values'] });
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(sinkValues(run)).toEqual(items('named', 0, 5));
    expect(run.errors).toEqual([]);
    expect(startedCount(run)).toBe(1);
  });
});

describe('ShellBolt over msgpack, pystorm style (need_task_ids false), with Debian’s python3-msgpack', () => {
  it('runs every command and sends no task ids the component did not ask for', async () => {
    const values = [...items('echo', 0, 20), ['taskids', 20], ['log:3', 21], ['metric:4', 22], ['direct:3', 23], ['hold', 24], ['release', 25]];
    const { topology, ledger } = scriptedTopology(values, { python: pythonWithMsgpack, serializer: 'msgpack', args: ['--style', 'pystorm'] });
    run = await runTopology(topology);
    await waitFor(() => ledger.complete(), 'every tree acked');
    expect(run.errors).toEqual([]);
    expect(sinkValues(run)).toHaveLength(22);
    expect(run.logsOf('scripted').some((m) => m.endsWith('log 21'))).toBe(true);
    expect(run.worker.metrics().find((m) => m.component === 'scripted')!.custom).toEqual({ 'scripted.count': 4 });
    // need_task_ids false: the emit in "taskids" gets no reply, so the bolt logs None.
    expect(run.logsOf('scripted').filter((m) => m.includes('task ids')).map((m) => m.replace(/^pid \d+: /, ''))).toEqual(['task ids None']);
  });
});
