import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jsonSerializer, msgpackSerializer, type StormContext } from '@topo/multilang';
import type { Figures, MeasureOptions } from '../../part.js';
import { measureWindow } from '../../window.js';
import { childCpuSeconds } from '../../machine.js';
import type { PassThroughCommand } from './subprocess-commands.js';

const CONTEXT: StormContext = {
  'task->component': { '1': 'passThrough', '2': 'counter' },
  taskid: 1,
  componentid: 'passThrough',
  streams: ['default'],
  'stream->outputfields': { default: ['n'] },
  'stream->target->grouping': {},
  'source->stream->grouping': { counter: { default: { type: 'SHUFFLE' } } },
  'source->stream->fields': { counter: { default: ['n'] } },
};

/**
 * The same subprocess without Topo: a minimal driver writes tuples (keeping `window` of
 * them unacked, as max spout pending does) and counts the acks; emits are read and dropped.
 */
export async function direct(bolt: PassThroughCommand, window: number, options: MeasureOptions): Promise<Figures> {
  const serializer = bolt.serializer === 'msgpack' ? msgpackSerializer : jsonSerializer;
  const pidDir = mkdtempSync(path.join(os.tmpdir(), 'topo-bench-pids-'));
  const child = spawn(bolt.command, bolt.args, { cwd: bolt.cwd, env: { ...process.env, ...bolt.env }, stdio: ['pipe', 'pipe', 'inherit'] });
  let ready = false;
  let sent = 0;
  let acked = 0;
  const run = serializer.createFrameRun();
  const refill = () => {
    while (sent - acked < window) {
      sent++;
      run.addTuple(String(sent), 'counter', 'default', 2, [sent]);
    }
    const frame = run.take();
    if (frame !== undefined) child.stdin.write(frame);
  };
  const decoder = serializer.createDecoder((message) => {
    if (!ready) ready = true;
    else if ((message as { command?: string }).command === 'ack') acked++;
  }, 1 << 26);
  child.stdout.on('data', (chunk: Buffer) => {
    decoder.push(chunk);
    if (ready) refill();
  });
  child.stdin.on('error', () => {});
  child.stdin.write(serializer.encode({ pidDir, conf: {}, context: CONTEXT }));
  const figures = await measureWindow(options, { completed: () => acked, helperCpuSeconds: () => childCpuSeconds(process.pid) });
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(pidDir, { recursive: true, force: true });
  return figures;
}
