import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporaryDir } from '@topo/runtime';
import { ShellProtocolError, ShellSpout, type SerializerName } from '@topo/multilang';
import { Bolt, Topology, type TopologyClass, type Tuple } from '@topo/topology-dsl';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPONENTS, marksDir, outlast, pythonWithMsgpack, runTopology, silenceTimeout, waitFor, type Run } from './support/harness.js';

let run: Run | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

/** Acks everything, except that it fails `['item', failOnce]` the first time it sees it. */
function sink(failOnce?: number) {
  let failed = false;
  return class Sink extends Bolt {
    process(tuple: Tuple): void {
      if (!failed && tuple.values[1] === failOnce) {
        failed = true;
        this.fail(tuple);
      } else {
        this.ack(tuple);
      }
    }
  };
}

function spoutTopology(shell: { command: string; args: string[]; cwd: string; env?: Record<string, string>; serializer?: SerializerName }, failOnce?: number): TopologyClass {
  const Sink = sink(failOnce);
  return class Feed extends Topology {
    feed = ShellSpout.spec({ ...shell, outputs: ['kind', 'n'] });
    sink = Sink.spec({ input: this.feed });
  };
}

const python = (args: string[], options: { serializer?: SerializerName; marks?: string } = {}) => ({
  command: options.serializer === 'msgpack' ? pythonWithMsgpack : 'python3',
  args: ['scripted_spout.py', ...args, ...(options.serializer === undefined ? [] : ['--serializer', options.serializer])],
  cwd: path.join(COMPONENTS, 'python'),
  env: (options.marks === undefined ? {} : { TOPO_TEST_MARKS: options.marks }) as Record<string, string>,
  serializer: options.serializer,
});
const acked = (r: Run) => r.worker.metrics().find((m) => m.component === 'feed')!.acked;
/** The protocol log lines of the spout, without the pid. */
const feedLogs = (r: Run) => r.logsOf('feed').filter((m) => /^pid \d+: /.test(m)).map((m) => m.replace(/^pid \d+: /, ''));
const shellErrors = (r: Run) => r.errors.filter((e) => e.error instanceof ShellProtocolError).map((e) => e.error as ShellProtocolError);

describe('ShellSpout with a Python spout speaking the protocol (storm.py style)', () => {
  it('reads what it emitted while initializing with the first turn, then emits on next, and hears every ack', async () => {
    run = await runTopology(spoutTopology(python(['--count', '10'])));
    await waitFor(() => acked(run!) === 11 && feedLogs(run!).includes('acked m9'), 'eleven trees acked and reported back');
    // Tasks: __acker 1, feed 2, sink 3. The emit from initialization comes first, in the first turn (activate).
    expect(feedLogs(run).slice(0, 2)).toEqual(['init went to [3]', 'activate']);
    expect(run.valuesOf('feed').map((v) => v[1])).toEqual([-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(feedLogs(run).filter((m) => m.startsWith('acked')).sort()).toEqual(['acked init', ...Array.from({ length: 10 }, (_, i) => `acked m${i}`)].sort());
    expect(run.errors).toEqual([]);
  });

  it('hands the subprocess its context: its tasks and the acker’s, its streams with the system ones, no sources', async () => {
    const dump = path.join(temporaryDir('topo-setup-'), 'setup.json');
    run = await runTopology(spoutTopology(python(['--count', '1', '--dump-setup', dump])));
    await waitFor(() => acked(run!) === 2, 'two trees acked');
    expect(JSON.parse(readFileSync(dump, 'utf8')).context).toEqual({
      'task->component': { '1': '__acker', '2': 'feed', '3': 'sink' },
      taskid: 2,
      componentid: 'feed',
      streams: ['default', '__system', '__metrics', '__ack_init'],
      'stream->outputfields': { default: ['kind', 'n'], __system: ['event'], __metrics: ['task-info', 'data-points'], __ack_init: ['id', 'init-val', 'spout-task'] },
      'stream->target->grouping': { default: { sink: { type: 'SHUFFLE' } } },
      'source->stream->grouping': {},
      'source->stream->fields': {},
    });
  });

  it('passes a failed tree back to the subprocess, which emits it again', async () => {
    run = await runTopology(spoutTopology(python(['--count', '5']), 3));
    await waitFor(() => feedLogs(run!).includes('acked m3'), 'the replay of m3 acked');
    expect(feedLogs(run)).toContain('failed m3');
    expect(run.valuesOf('feed').filter((v) => v[1] === 3)).toHaveLength(2);
  });

  it('speaks msgpack with Debian’s python3-msgpack', async () => {
    run = await runTopology(spoutTopology(python(['--count', '5'], { serializer: 'msgpack' })));
    await waitFor(() => acked(run!) === 6, 'six trees acked');
    expect(run.errors).toEqual([]);
  });

  it('forwards deactivate, and does not time a deactivated spout out (the timeout runs only while it waits for sync)', async () => {
    run = await runTopology(spoutTopology(python(['--count', '3'])), silenceTimeout(1));
    await waitFor(() => acked(run!) === 4, 'four trees acked');
    run.worker.deactivate();
    await waitFor(() => feedLogs(run!).includes('deactivate'), 'the deactivate command');
    await outlast(1);
    expect(run.errors).toEqual([]);
    run.worker.activate();
    await waitFor(() => feedLogs(run!).filter((m) => m === 'activate').length === 2, 'the second activate');
  });

  it('restarts a spout that dies: the error is reported and the replacement carries on', async () => {
    run = await runTopology(spoutTopology(python(['--count', '6', '--crash-after', '3'], { marks: marksDir() })));
    await waitFor(() => shellErrors(run!).length === 1 && run!.logsOf('feed').filter((m) => m.endsWith('spout started')).length === 2, 'the crash and the restart');
    const [error] = shellErrors(run);
    expect(error).toMatchObject({ component: 'feed', task: 2, reason: 'exited', exitCode: 4 });
    expect(error.stderrTail).toEqual(['spout started', 'spout crashing after 3']);
    // The replacement starts over (its state died with the old one) and gets through all six.
    await waitFor(() => feedLogs(run!).includes('acked m5'), 'the replacement to finish');
    expect(run.valuesOf('feed').map((v) => v[1])).toEqual([-1, 0, 1, 2, -1, 0, 1, 2, 3, 4, 5]);
  });

  it('times out a spout that stops answering in a turn, and restarts it', async () => {
    run = await runTopology(spoutTopology(python(['--count', '4', '--hang-after', '2'], { marks: marksDir() })), silenceTimeout(1));
    await waitFor(() => shellErrors(run!).length === 1 && feedLogs(run!).includes('acked m3'), 'the timeout and the replacement finishing');
    expect(shellErrors(run)[0].reason).toBe('sent nothing for 1 s (topology.subprocess.timeout.secs)');
  });
});

describe('ShellSpout with Ruby and Node spouts (storm.rb and storm.js style)', () => {
  it.each([
    { language: 'Ruby', command: 'ruby', args: ['count_spout.rb', '8'], dir: 'ruby' },
    { language: 'Node', command: process.execPath, args: ['count_spout.mjs', '8'], dir: 'node' },
  ])('$language: every item emitted and acked, the failed one emitted again', async ({ command, args, dir }) => {
    run = await runTopology(spoutTopology({ command, args, cwd: path.join(COMPONENTS, dir) }, 5));
    await waitFor(() => acked(run!) === 8, 'eight trees acked');
    expect(run.valuesOf('feed').map((v) => v[1])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 5]);
    expect(run.errors).toEqual([]);
  });
});
