import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../src/transport/frame-decoder.js';
import { FRAME_BATCH, FRAME_HELLO } from '../src/transport/frame-types.js';
import { Transport, type TransportOptions } from '../src/transport/transport.js';
import type { LogRecord } from '../src/logger.js';
import { TupleImpl, StreamFields } from '../src/tuple-impl.js';
import { waitFor } from '@topo/runtime';

interface Received {
  peer: string;
  tuples: unknown[];
  acker: number[];
}

function transport(workerId: string, secret: Buffer, received: Received[], logs: LogRecord[] = []): Transport {
  const options: TransportOptions = {
    workerId,
    topology: 'T',
    secret,
    logger: (r) => logs.push(r),
    onBatch: (peer, tuples, acker) => received.push({ peer, tuples, acker }),
    onBackpressure: () => {},
    onDropped: () => {},
    onSendBlocked: () => {},
  };
  return new Transport(options);
}

describe('FrameDecoder', () => {
  it('decodes frames split at every possible chunk boundary', () => {
    const payloads = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('hello world'), Buffer.alloc(70_000, 7)];
    const stream = Buffer.concat(payloads.map((p, i) => encodeFrame(i + 1, p)));
    for (const size of [1, 2, 3, 5, 4096, stream.length]) {
      const got: [number, Buffer][] = [];
      const decoder = new FrameDecoder(1 << 20, (type, payload) => got.push([type, Buffer.from(payload)]));
      for (let i = 0; i < stream.length; i += size) decoder.push(stream.subarray(i, i + size));
      expect(got.map(([t]) => t)).toEqual([1, 2, 3, 4]);
      expect(got.map(([, p]) => p)).toEqual(payloads);
    }
  });

  it('refuses a frame larger than the limit before buffering it', () => {
    const decoder = new FrameDecoder(1024, () => {});
    const header = Buffer.alloc(4);
    header.writeUInt32BE(10_000, 0);
    expect(() => decoder.push(header)).toThrow(/10000 bytes exceeds the limit of 1024/);
  });
});

describe('Transport', () => {
  it('connects two workers that share the secret and carries tuples and acker records', async () => {
    const secret = Buffer.from('s3cret-s3cret-s3cret');
    const atA: Received[] = [];
    const atB: Received[] = [];
    const a = transport('worker-001', secret, atA);
    const b = transport('worker-002', secret, atB);
    const peers = [
      { id: 'worker-001', host: '127.0.0.1', port: await a.listen('127.0.0.1') },
      { id: 'worker-002', host: '127.0.0.1', port: await b.listen('127.0.0.1') },
    ];
    a.setPeers(peers);
    b.setPeers(peers);
    await waitFor(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 'both sides connected');

    const tuple = new TupleImpl(['x', 42, { nested: [1, 2] }], new StreamFields('spout', 'default', ['a', 'b', 'c'], 3), 7);
    tuple.r0h = -5;
    tuple.r0l = 123456789;
    a.sendBuffer('worker-002').addTuple(11, tuple, 3);
    a.sendBuffer('worker-002').addAcker(2, 1, 2, 3, 4, 0);
    b.sendBuffer('worker-001').addResult(7, 1, -5, 123456789);
    a.flush();
    b.flush();
    await waitFor(() => atA.length === 1 && atB.length === 1, 'a batch each way');
    expect(atB[0].peer).toBe('worker-001');
    expect(atB[0].tuples).toEqual([11, 7, 3, ['x', 42, { nested: [1, 2] }], -5, 123456789, 0, 0, null]);
    expect(atB[0].acker).toEqual([2, 1, 2, 3, 4, 0]);
    expect(atA[0].peer).toBe('worker-002');
    await a.close();
    await b.close();
  });

  it('refuses a worker that does not know the secret, and logs it', async () => {
    const atB: Received[] = [];
    const logs: LogRecord[] = [];
    const good = transport('worker-002', Buffer.from('right secret'), atB, logs);
    const stranger = transport('worker-001', Buffer.from('wrong secret'), []);
    const port = await good.listen('127.0.0.1');
    const peers = [
      { id: 'worker-001', host: '127.0.0.1', port: await stranger.listen('127.0.0.1') },
      { id: 'worker-002', host: '127.0.0.1', port },
    ];
    stranger.setPeers(peers);
    await waitFor(() => logs.some((l) => /refused connection from 127\.0\.0\.1:\d+: it closed before proving it knows the topology secret/.test(l.message)), 'the refusal logged');
    stranger.sendBuffer('worker-002').addAcker(2, 1, 2, 3, 4, 0);
    stranger.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(good.connectedPeers()).toEqual([]);
    expect(atB).toEqual([]);
    await stranger.close();
    await good.close();
  });

  it('closes a raw connection that sends a batch before authenticating', async () => {
    const atB: Received[] = [];
    const logs: LogRecord[] = [];
    const good = transport('worker-002', Buffer.from('secret'), atB, logs);
    const port = await good.listen('127.0.0.1');
    const socket = net.connect({ host: '127.0.0.1', port });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    socket.write(encodeFrame(FRAME_BATCH, Buffer.from([0x93, 0x90, 0x90, 0x90])));
    await closed;
    expect(atB).toEqual([]);
    expect(logs.some((l) => /frame type 5 before authentication/.test(l.message))).toBe(true);

    const second = net.connect({ host: '127.0.0.1', port });
    const closedToo = new Promise<void>((resolve) => second.on('close', () => resolve()));
    second.on('error', () => {});
    second.write(encodeFrame(FRAME_HELLO, Buffer.from(JSON.stringify({ worker: 'worker-001', topology: 'Other', nonce: 'x' }))));
    await closedToo;
    expect(logs.some((l) => /hello for topology Other, this is T/.test(l.message))).toBe(true);
    await good.close();
  });
});
