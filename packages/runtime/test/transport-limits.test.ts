import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { build, type TopologyConfig } from '@topo/topology-dsl';
import { Worker, computeTaskLayout, scheduleEvenly, waitFor, type LogRecord, captureLogger, silentLogger } from '@topo/runtime';
import { encodeFrame } from '../src/transport/frame-decoder.js';
import { FRAME_HELLO } from '../src/transport/frame-types.js';
import { Pair } from './support/pair-topology.js';

const compiled = build(Pair);
const assignment = scheduleEvenly('Pair', computeTaskLayout(compiled.definition, 1).executors, ['worker-001', 'worker-002']);

function worker(config: TopologyConfig, logs: LogRecord[] = []): Worker {
  return new Worker(compiled, { config, logger: captureLogger(logs), cluster: { workerId: 'worker-002', assignment, secret: Buffer.alloc(32, 1) } });
}

const sockets: net.Socket[] = [];
let started: Worker | undefined;
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await started?.stop();
  started = undefined;
});

function connect(port: number): Promise<void> {
  const socket = net.connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  socket.on('error', () => {});
  return new Promise((resolve) => socket.on('close', () => resolve()));
}

describe('limits on connections between workers', () => {
  it('come from the topology config: topo.worker.max.unauthenticated.connections and topo.worker.handshake.max.frame.bytes', async () => {
    const logs: LogRecord[] = [];
    const w = (started = worker({ 'topo.worker.max.unauthenticated.connections': 1, 'topo.worker.handshake.max.frame.bytes': 1024 }, logs));
    const port = await w.listen('127.0.0.1');
    await w.start();
    const warnings = () => logs.filter((l) => l.level === 'warn').map((l) => l.message);

    const first = connect(port);
    // Only one connection may be in its handshake: the next is closed at once, whatever it sends.
    await waitFor(async () => {
      await connect(port);
      return warnings().some((m) => /: 1 connections are already in their handshake \(topo\.worker\.max\.unauthenticated\.connections\)$/.test(m));
    }, 'a second connection refused');

    sockets[0].write(encodeFrame(FRAME_HELLO, Buffer.alloc(1024)));
    await first;
    expect(warnings()).toContainEqual(expect.stringMatching(/: frame of 1025 bytes exceeds the limit of 1024 before authentication \(topo\.worker\.handshake\.max\.frame\.bytes\)$/));
  });

  it('refuse a value that is not a positive integer, naming the key', () => {
    expect(() => worker({ 'topo.worker.max.frame.bytes': 'big' })).toThrow(/^topo\.worker\.max\.frame\.bytes must be a positive integer \(got "big"\)$/);
    // In one process too (`topo run` without --workers), where there are no links to limit.
    expect(() => new Worker(compiled, { config: { 'topo.worker.max.unauthenticated.connections': 1.5 }, logger: silentLogger() })).toThrow(
      /^topo\.worker\.max\.unauthenticated\.connections must be a positive integer \(got 1\.5\)$/,
    );
    expect(() => worker({ 'topo.worker.handshake.timeout.ms': 0 })).toThrow(/^topo\.worker\.handshake\.timeout\.ms must be a positive integer \(got 0\)$/);
    expect(() => worker({ 'topo.worker.handshake.max.frame.bytes': 4096, 'topo.worker.max.frame.bytes': 1024 })).toThrow(
      /^topo\.worker\.handshake\.max\.frame\.bytes \(4096\) must not exceed topo\.worker\.max\.frame\.bytes \(1024\)$/,
    );
  });
});
