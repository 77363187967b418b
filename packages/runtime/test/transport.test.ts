import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../src/transport/frame-decoder.js';
import { FRAME_BATCH, FRAME_HELLO } from '../src/transport/frame-types.js';
import { Transport, type TransportOptions } from '../src/transport/transport.js';
import { decodeBatch, OutgoingBatch, TUPLE_INTS, type IncomingBatch } from '../src/transport/outgoing-batch.js';
import { ACKER_RECORD_WIDTH } from '../src/acker/acker-messages.js';
import { Packr, Unpackr } from 'msgpackr';
import type { LogRecord } from '../src/logger.js';
import { TupleImpl, StreamFields } from '../src/tuple-impl.js';
import { waitFor } from '@topo/runtime';

interface Received {
  peer: string;
  batch: IncomingBatch;
}

function transport(workerId: string, secret: Buffer, received: Received[], logs: LogRecord[] = [], extra: Partial<TransportOptions> = {}): Transport {
  const options: TransportOptions = {
    ...extra,
    workerId,
    topology: 'T',
    secret,
    logger: (r) => logs.push(r),
    onBatch: (peer, batch) => received.push({ peer, batch }),
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

describe('batch frames', () => {
  const packr = new Packr({ useRecords: false });
  const unpackr = new Unpackr({ useRecords: false });

  it('round-trip every kind of message, with the frame header left free in front', () => {
    const batch = new OutgoingBatch();
    const tuple = new TupleImpl(['a', 1], new StreamFields('s', 'default', ['x', 'y'], 0), 4);
    tuple.addEdge(-7, 8, 9, -10);
    batch.addTuple(5, tuple, 0);
    batch.addAcker(1, 2, 3, 4, 5, 6);
    batch.addResult(4, 2, -7, 8);
    const frame = batch.encode(packr, 5);
    expect(batch.size).toBe(0);
    const got = decodeBatch(frame.subarray(5), unpackr);
    expect([...got.ints]).toEqual([5, 4, 0, -7, 8, 9, -10, 1, 2, 3, 4, 5, 6, 4, 2, -7, 8]);
    expect(got.values).toEqual([['a', 1]]);
  });

  it('keeps every record when a batch grows past its initial arrays', () => {
    const batch = new OutgoingBatch();
    const fields = new StreamFields('s', 'default', ['x'], 0);
    for (let i = 0; i < 5000; i++) {
      batch.addAcker(2, i, -i, i * 3, i * 5, 7);
      batch.addResult(7, 1, i, -i);
      batch.addTuple(9, new TupleImpl([i], fields, 4), 0);
    }
    const got = decodeBatch(batch.encode(packr, 0), unpackr);
    expect([got.tuples, got.acker, got.results]).toEqual([5000, 5000, 5000]);
    const acker = got.ints.subarray(5000 * TUPLE_INTS, 5000 * (TUPLE_INTS + ACKER_RECORD_WIDTH));
    const wrong = [];
    for (let i = 0; i < 5000; i++) {
      const r = [...acker.subarray(i * ACKER_RECORD_WIDTH, (i + 1) * ACKER_RECORD_WIDTH)];
      if (r.join() !== [2, i, -i, i * 3, i * 5, 7].join()) wrong.push(i);
    }
    expect(wrong).toEqual([]);
    expect([...got.ints.subarray(got.ints.length - 4)]).toEqual([7, 1, 4999, -4999]);
    expect(got.values[4999]).toEqual([4999]);
  });

  it('names what is wrong with a malformed frame', () => {
    expect(() => decodeBatch(Buffer.alloc(5), unpackr)).toThrow(/batch frame of 5 bytes is shorter than its 12-byte counts/);
    const claims = Buffer.alloc(12);
    claims.writeUInt32LE(3, 0);
    expect(() => decodeBatch(claims, unpackr)).toThrow(/claims 3 tuples, 0 acker messages and 0 verdicts, which need 96/);
    const batch = new OutgoingBatch();
    batch.addTuple(1, new TupleImpl(['v'], new StreamFields('s', 'default', ['x'], 0), 2), 0);
    const frame = batch.encode(packr, 0);
    frame.writeUInt32LE(1, 0);
    const wrongValues = Buffer.concat([frame.subarray(0, 12 + 28), packr.pack([[], []])]);
    expect(() => decodeBatch(wrongValues, unpackr)).toThrow(/values do not match its 1 tuples/);
  });

  it('hands back the roots of unsent tuples, extra roots included', () => {
    const batch = new OutgoingBatch();
    const tuple = new TupleImpl(['v'], new StreamFields('s', 'default', ['x'], 0), 2);
    tuple.addEdge(1, 2, 0, 0);
    tuple.addEdge(3, 4, 0, 0);
    batch.addTuple(1, tuple, 0);
    expect(batch.takeRoots()).toEqual([1, 2, 3, 4]);
    expect(batch.size).toBe(0);
  });
});

/** worker-001 and worker-002, connected and authenticated; `optionsA` tunes worker-001's side. */
async function connectedPair(atA: Received[], atB: Received[], optionsA: Partial<TransportOptions> = {}): Promise<[Transport, Transport]> {
  const secret = Buffer.from('s3cret-s3cret-s3cret');
  const a = transport('worker-001', secret, atA, [], optionsA);
  const b = transport('worker-002', secret, atB);
  const peers = [
    { id: 'worker-001', host: '127.0.0.1', port: await a.listen('127.0.0.1') },
    { id: 'worker-002', host: '127.0.0.1', port: await b.listen('127.0.0.1') },
  ];
  a.setPeers(peers);
  b.setPeers(peers);
  await waitFor(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 'both sides connected');
  return [a, b];
}

describe('Transport', () => {
  it('connects two workers that share the secret and carries tuples and acker records', async () => {
    const atA: Received[] = [];
    const atB: Received[] = [];
    const [a, b] = await connectedPair(atA, atB);

    const fields = new StreamFields('spout', 'default', ['a', 'b', 'c'], 3);
    const tuple = new TupleImpl(['x', 42, { nested: [1, 2] }], fields, 7);
    tuple.r0h = -5;
    tuple.r0l = 123456789;
    tuple.e0h = -1;
    tuple.e0l = 2147483647;
    // A tuple of three trees: its extra roots travel beside the ints, by tuple index.
    const joined = new TupleImpl([null, -0.5, 'ü'], fields, 8);
    joined.addEdge(1, 2, 3, 4);
    joined.addEdge(5, 6, 7, 8);
    joined.addEdge(9, 10, 11, 12);
    a.sendBuffer('worker-002').addTuple(11, tuple, 3);
    a.sendBuffer('worker-002').addAcker(2, 1, 2, 3, 4, 0);
    a.sendBuffer('worker-002').addTuple(12, joined, 3);
    b.sendBuffer('worker-001').addResult(7, 1, -5, 123456789);
    a.flush();
    b.flush();
    await waitFor(() => atA.length === 1 && atB.length === 1, 'a batch each way');
    expect(atB[0].peer).toBe('worker-001');
    const got = atB[0].batch;
    expect([got.tuples, got.acker, got.results]).toEqual([2, 1, 0]);
    expect([...got.ints.subarray(0, 2 * TUPLE_INTS)]).toEqual([11, 7, 3, -5, 123456789, -1, 2147483647, 12, 8, 3, 1, 2, 3, 4]);
    expect([...got.ints.subarray(2 * TUPLE_INTS, 2 * TUPLE_INTS + ACKER_RECORD_WIDTH)]).toEqual([2, 1, 2, 3, 4, 0]);
    expect(got.values).toEqual([['x', 42, { nested: [1, 2] }], [null, -0.5, 'ü']]);
    expect(got.extraRoots).toEqual([1, [5, 6, 7, 8, 9, 10, 11, 12]]);
    expect(atA[0].peer).toBe('worker-002');
    expect([...atA[0].batch.ints]).toEqual([7, 1, -5, 123456789]);
    await a.close();
    await b.close();
  });

  it('holds a batch below topology.transfer.batch.size until it fills or waited the flush interval', async () => {
    const atB: Received[] = [];
    const [a, b] = await connectedPair([], atB, { batchMessages: 5, flushIntervalMs: 300 });
    const toB = a.sendBuffer('worker-002');
    const records = (from: number, n: number) => {
      for (let i = from; i < from + n; i++) toB.addAcker(2, i, 0, 0, 0, 0);
    };

    records(0, 3);
    a.flush();
    a.flush();
    expect(a.framesSent).toBe(0);
    records(3, 2);
    a.flush();
    expect(a.framesSent).toBe(1);
    await waitFor(() => atB.length === 1, 'the full batch');
    expect(atB[0].batch.acker).toBe(5);

    // The interval started with the first batch's wait is cancelled by sending it: this one waits its own.
    const heldAt = performance.now();
    records(5, 1);
    a.flush();
    expect(a.framesSent).toBe(1);
    await waitFor(() => atB.length === 2, 'the partial batch, after the flush interval');
    expect(performance.now() - heldAt).toBeGreaterThanOrEqual(290);
    expect(atB[1].batch.acker).toBe(1);
    expect([...atB[1].batch.ints.subarray(0, 2)]).toEqual([2, 5]);
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
    socket.write(encodeFrame(FRAME_BATCH, Buffer.alloc(12)));
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
