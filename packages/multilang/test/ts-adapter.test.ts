import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { completeTopology, temporaryDir } from '@topo/runtime';
import { jsonSerializer, msgpackSerializer, ShellBolt, ShellSpout, type Serializer } from '@topo/multilang';
import { Spout, Topology } from '@topo/topology-dsl';
import { afterEach, describe, expect, it } from 'vitest';
import { CountTsSpout } from './components/ts/count-ts-spout.js';
import { ScriptedTsBolt } from './components/ts/scripted-ts-bolt.js';
import { COMPONENTS, PACKAGE_ROOT, runTopology, waitFor, type Run } from './support/harness.js';
import { Ledger, ledgerSpout } from './support/ledger-spout.js';
import { Sink } from './support/scripted-topology.js';

const TS = path.join(COMPONENTS, 'ts');
/** Runs a TypeScript entry point in a subprocess, as a user's ShellBolt would. */
const tsCommand = (entry: string) => ({ command: process.execPath, args: ['--import', 'tsx', path.join(TS, entry)], cwd: PACKAGE_ROOT });

let run: Run | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

class Source extends Spout {
  static outputs = ['action', 'n'] as const;
  nextTuple(): void {}
}

describe('runBolt: a Bolt class as a multi-lang subprocess', () => {
  it('gives the same results as the same class in-process', async () => {
    class InProcess extends Topology {
      source = Source.spec();
      bolt = ScriptedTsBolt.spec({ input: this.source });
    }
    class AsSubprocess extends Topology {
      source = Source.spec();
      bolt = ShellBolt.spec({ ...tsCommand('scripted-ts-bolt-main.ts'), outputs: ScriptedTsBolt.outputs, input: this.source });
    }
    const values = [['echo', 0], ['later', 1], ['metric', 2], ['throw', 3], ['echo', 4]];
    const sorted = (tuples: unknown[][]) => [...tuples].sort((a, b) => Number(a[1]) - Number(b[1]));
    const inProcess = await completeTopology(InProcess, { mockedSources: { source: values } });
    const subprocess = await completeTopology(AsSubprocess, { mockedSources: { source: values } });
    expect(sorted(subprocess.tuples.bolt.default)).toEqual(sorted(inProcess.tuples.bolt.default));
    expect(sorted(subprocess.tuples.bolt.default)).toEqual(values);
    // The throw failed the tuple once in both, and it was replayed.
    expect(subprocess.replays).toBe(1);
    expect(inProcess.replays).toBe(1);
  });

  it('sends console output to the protocol log at its level, leaving stdout to the protocol', async () => {
    const ledger = new Ledger([['log', 7], ['taskids', 8], ['metric', 9], ['bad-stream', 10]]);
    const Feed = ledgerSpout(ledger, ['action', 'n']);
    class Logging extends Topology {
      feed = Feed.spec();
      bolt = ShellBolt.spec({ ...tsCommand('scripted-ts-bolt-main.ts'), outputs: ['action', 'n'], input: this.feed });
      sink = Sink.spec({ input: this.bolt });
    }
    run = await runTopology(Logging);
    await waitFor(() => ledger.complete(), 'every tree acked');
    const logs = run.logs.filter((l) => l.component === 'bolt' && /^pid \d+: /.test(l.message)).map((l) => [l.level, l.message.replace(/^pid \d+: /, '')]);
    // Tasks: __acker 1, bolt 2, feed 3, sink 4; taskIdsOf() asked for the ids of that one emit.
    expect(logs).toEqual([
      ['info', 'hello from 7'],
      ['warn', 'careful with 7'],
      ['info', 'task ids [4]'],
    ]);
    expect(run.worker.metrics().find((m) => m.component === 'bolt')!.custom).toEqual({ 'ts.count': 2 });
    // A bad emit throws in the subprocess as it would in-process: reported, the input failed and replayed, the subprocess kept.
    expect(run.errors.map((e) => (e.error as Error).message)).toEqual([expect.stringMatching(/reported: TopoError: bolt emitted on stream nope, which it does not declare \(declared: default\)/)]);
    expect(ledger.failed).toEqual([3]);
  });
});

describe('runSpout: a Spout class as a multi-lang subprocess', () => {
  it('emits with message ids and hears acks', async () => {
    class Counting extends Topology {
      count = ShellSpout.spec({ ...tsCommand('count-ts-spout-main.ts'), outputs: CountTsSpout.outputs });
      sink = Sink.spec({ input: this.count });
    }
    run = await runTopology(Counting);
    await waitFor(() => run!.logsOf('count').some((m) => m.endsWith('acked 4')), 'the last ack to reach the subprocess');
    expect(run.valuesOf('count')).toEqual([0, 1, 2, 3, 4].map((i) => ['ts', i]));
    expect(run.worker.metrics().find((m) => m.component === 'count')!.acked).toBe(5);
  });
});

/** Drives a component directly, as a Storm-like engine would, recording what it sends. */
async function drive(serializer: Serializer, script: (send: (m: unknown) => void, received: unknown[]) => Promise<void>): Promise<{ received: unknown[]; pidDir: string }> {
  const pidDir = temporaryDir('topo-drive-');
  const { command, args, cwd } = tsCommand('scripted-ts-bolt-main.ts');
  const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  const received: unknown[] = [];
  const decoder = serializer.createDecoder((m) => received.push(m), 1 << 20);
  child.stdout.on('data', (chunk: Buffer) => decoder.push(chunk));
  const send = (m: unknown) => child.stdin.write(serializer.encode(m));
  const context = {
    'task->component': { '1': 'bolt', '2': 'source' },
    taskid: 1,
    componentid: 'bolt',
    streams: ['default'],
    'stream->outputfields': { default: ['action', 'n'] },
    'stream->target->grouping': {},
    'source->stream->grouping': { source: { default: { type: 'SHUFFLE' } } },
    'source->stream->fields': { source: { default: ['action', 'n'] } },
  };
  send({ pidDir, conf: { 'topology.name': 'driven' }, context });
  try {
    await script(send, received);
  } finally {
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return { received, pidDir };
}

describe('the TypeScript adapter on the wire', () => {
  it.each([jsonSerializer, msgpackSerializer])('answers a $name handshake in kind, writes its pid file, emits with need_task_ids false, acks, and answers heartbeats with sync', async (serializer) => {
    const { received, pidDir } = await drive(serializer, async (send, received) => {
      await waitFor(() => received.length === 1, 'the pid reply');
      send({ id: '10', comp: 'source', stream: 'default', task: 2, tuple: ['echo', 1] });
      send({ id: '11', comp: null, stream: '__heartbeat', task: -1, tuple: [] });
      await waitFor(() => received.length === 4, 'emit, ack and sync');
    });
    const [pid, ...rest] = received as Record<string, unknown>[];
    expect(Object.keys(pid)).toEqual(['pid']);
    expect(existsSync(path.join(pidDir, String(pid.pid)))).toBe(true);
    // The heartbeat is answered at once, while the (async) process() of the tuple is still finishing.
    expect(rest).toHaveLength(3);
    expect(rest).toEqual(
      expect.arrayContaining([
        { command: 'emit', anchors: ['10'], stream: 'default', tuple: ['echo', 1], need_task_ids: false },
        { command: 'ack', id: '10' },
        { command: 'sync' },
      ]),
    );
    expect(rest.findIndex((m) => m.command === 'emit')).toBeLessThan(rest.findIndex((m) => m.command === 'ack'));
  });
});
