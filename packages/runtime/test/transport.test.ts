import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder } from '../src/transport/frame-decoder.js';
import { FRAME_BACKPRESSURE, FRAME_BATCH, FRAME_CHALLENGE, FRAME_HELLO, FRAME_PROOF, FRAME_READY } from '../src/transport/frame-types.js';
import { newNonce, proof } from '../src/transport/handshake.js';
import { Transport, type TransportOptions } from '../src/transport/transport.js';
import { decodeBatch, OutgoingBatch, TUPLE_INTS, type IncomingBatch } from '../src/transport/outgoing-batch.js';
import { ACKER_RECORD_WIDTH } from '../src/acker/acker-messages.js';
import { Packr, Unpackr } from 'msgpackr';
import type { LogRecord } from '../src/logging/logger.js';
import { TupleImpl, StreamFields } from '../src/tuple-impl.js';
import { waitFor, captureLogger } from '@topo/runtime';

interface Received {
  peer: string;
  batch: IncomingBatch;
}

function transport(workerId: string, secret: Buffer, received: Received[], logs: LogRecord[] = [], extra: Partial<TransportOptions> = {}): Transport {
  const options: TransportOptions = {
    workerId,
    topology: 'T',
    secret,
    logger: captureLogger(logs),
    onBatch: (peer, batch) => received.push({ peer, batch }),
    onBackpressure: () => {},
    onDropped: () => {},
    onSendBlocked: () => {},
    ...extra,
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

  it('says a zero-length frame is empty rather than over the limit', () => {
    const decoder = new FrameDecoder(1024, () => {});
    expect(() => decoder.push(Buffer.alloc(4))).toThrow(/^frame header says 0 bytes, but every frame holds at least its type byte$/);
  });

  it('applies a new limit from the next frame on, also to the rest of the chunk at hand', () => {
    const got: number[] = [];
    const decoder = new FrameDecoder(16, (type) => {
      got.push(type);
      if (type === 1) decoder.setLimit(1024, '(after)');
    }, '(before)');
    const big = encodeFrame(2, Buffer.alloc(100));
    decoder.push(Buffer.concat([encodeFrame(1, Buffer.alloc(3)), big]));
    expect(got).toEqual([1, 2]);
    const other = new FrameDecoder(16, () => {}, '(before)');
    expect(() => other.push(big)).toThrow(/^frame of 101 bytes exceeds the limit of 16 \(before\)$/);
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

  it('says when an authenticated link to a peer goes down, and not when it closes itself', async () => {
    const lost: string[] = [];
    const [a, b] = await connectedPair([], [], { onPeerLost: (peer) => lost.push(peer) });
    await b.close();
    await waitFor(() => lost.length > 0, 'worker-001 told that worker-002 went away');
    expect(lost).toEqual(['worker-002']);
    await a.close();
    const [c, d] = await connectedPair([], [], { onPeerLost: (peer) => lost.push(peer) });
    await c.close();
    await waitFor(() => d.connectedPeers().length === 0, 'worker-002 saw the link close');
    await d.close();
    expect(lost).toEqual(['worker-002']);
  });

  it('fails the trees of what waits for a peer that is down: past topo.worker.max.unsent.messages at once, else after topo.worker.unreachable.grace.ms', async () => {
    const secret = Buffer.from('s3cret-s3cret-s3cret');
    const fields = new StreamFields('s', 'default', ['x'], 0);
    const queue = (t: Transport, roots: number[]) => {
      for (const root of roots) {
        const tuple = new TupleImpl([root], fields, 4);
        tuple.r0h = root;
        tuple.r0l = -root;
        t.sendBuffer('worker-002').addTuple(9, tuple, 0);
      }
    };
    // Nothing listens on port 1 of loopback: worker-002 stays down.
    const down = { id: 'worker-002', host: '127.0.0.1', port: 1 };
    const dropped: number[][] = [];
    const bounded = transport('worker-001', secret, [], [], { onDropped: (_peer, roots) => dropped.push(roots), limits: { maxUnsent: 2, unreachableGraceMs: 600_000 } });
    bounded.setPeers([{ id: 'worker-001', host: '127.0.0.1', port: await bounded.listen('127.0.0.1') }, down]);
    queue(bounded, [1, 2]);
    bounded.flush();
    expect(dropped).toEqual([]);
    queue(bounded, [3]);
    bounded.flush();
    expect(dropped).toEqual([[1, -1, 2, -2, 3, -3]]);
    await bounded.close();

    const timed: number[][] = [];
    const graced = transport('worker-001', secret, [], [], { onDropped: (_peer, roots) => timed.push(roots), limits: { maxUnsent: 100, unreachableGraceMs: 50 } });
    graced.setPeers([{ id: 'worker-001', host: '127.0.0.1', port: await graced.listen('127.0.0.1') }, down]);
    queue(graced, [4]);
    const queuedAt = Date.now();
    graced.flush();
    expect(timed).toEqual([]);
    await waitFor(() => {
      graced.flush();
      return timed.length > 0;
    }, 'the grace over');
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(50);
    expect(timed).toEqual([[4, -4]]);
    await graced.close();
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
    const first = rawConnection(port);
    first.socket.write(encodeFrame(FRAME_BATCH, Buffer.alloc(12)));
    await first.closed;
    expect(atB).toEqual([]);
    expect(logs.some((l) => /frame type 5 before authentication/.test(l.message))).toBe(true);

    const second = rawConnection(port);
    second.socket.write(encodeFrame(FRAME_HELLO, Buffer.from(JSON.stringify({ worker: 'worker-001', topology: 'Other', nonce: 'x' }))));
    await second.closed;
    expect(logs.some((l) => /hello for topology Other, this is T/.test(l.message))).toBe(true);

    // What a stranger sends reaches the log quoted and escaped: no escape sequences, no forged lines.
    const third = rawConnection(port);
    third.socket.write(encodeFrame(FRAME_HELLO, Buffer.from(JSON.stringify({ worker: 'w', topology: '\u001b[2J\nERROR forged\u009b', nonce: 'x' }))));
    await third.closed;
    const refusal = logs.find((l) => l.message.includes('forged'))!.message;
    expect(refusal).toMatch(/: hello for topology "\\u001b\[2J\\nERROR forged\\u009b", this is T$/);
    const fourth = rawConnection(port);
    fourth.socket.write(encodeFrame(FRAME_HELLO, Buffer.from(JSON.stringify({ worker: 'w', topology: { toString: 1 }, nonce: 'x' }))));
    await fourth.closed;
    expect(logs.at(-1)!.message).toMatch(/: hello for topology \{"toString":1\}, this is T$/);
    await good.close();
  });
});

/** A plain TCP connection to `port` that proves nothing; `closed` settles when it closes. */
function rawConnection(port: number, host = '127.0.0.1'): { socket: net.Socket; closed: Promise<void> } {
  const socket = net.connect({ host, port });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return { socket, closed };
}

/**
 * A connection that completes the dialer's side of the handshake by hand, as `worker`
 * knowing `secret`, and then lets the test write any bytes: a peer that is authenticated
 * but does not follow the protocol.
 */
async function handshakenConnection(port: number, secret: Buffer, worker: string, acceptor: string): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const { socket, closed } = rawConnection(port);
  const nonce = newNonce();
  const ready = new Promise<void>((resolve, reject) => {
    const decoder = new FrameDecoder(1 << 16, (type, payload) => {
      if (type === FRAME_CHALLENGE) {
        const challenge = JSON.parse(payload.toString()) as { nonce: string };
        socket.write(encodeFrame(FRAME_PROOF, Buffer.from(JSON.stringify({ proof: proof(secret, 'dialer', nonce, challenge.nonce, worker) }))));
      } else if (type === FRAME_READY) {
        socket.removeAllListeners('data');
        resolve();
      }
    });
    socket.on('data', (chunk: Buffer) => decoder.push(chunk));
    void closed.then(() => reject(new Error(`the acceptor closed the handshake of ${worker} with ${acceptor}`)));
  });
  socket.write(encodeFrame(FRAME_HELLO, Buffer.from(JSON.stringify({ worker, topology: 'T', nonce }))));
  await ready;
  return { socket, closed };
}

const messages = (logs: LogRecord[], level = 'warn') => logs.filter((l) => l.level === level).map((l) => l.message);

describe('Transport before a peer has authenticated', () => {
  it('closes a connection whose frame is over topo.worker.handshake.max.frame.bytes as soon as its header arrives', async () => {
    const logs: LogRecord[] = [];
    const b = transport('worker-002', Buffer.from('secret'), [], logs);
    const port = await b.listen('127.0.0.1');

    // 250 MiB announced, as in the probe that took a worker to 858 MB; the header is all the worker reads of it.
    const huge = rawConnection(port);
    const header = Buffer.alloc(5);
    header.writeUInt32BE(250 * 2 ** 20, 0);
    header[4] = FRAME_HELLO;
    huge.socket.write(header);
    huge.socket.write(Buffer.alloc(2 ** 20));
    await huge.closed;
    expect(messages(logs)).toContainEqual(
      expect.stringMatching(/^closing connection from 127\.0\.0\.1:\d+: frame of 262144000 bytes exceeds the limit of 16384 before authentication \(topo\.worker\.handshake\.max\.frame\.bytes\)$/),
    );

    // A hello just over the handshake limit, far below the limit for batches, is refused the same way.
    const long = rawConnection(port);
    long.socket.write(encodeFrame(FRAME_HELLO, Buffer.alloc(16 * 1024)));
    await long.closed;
    expect(messages(logs)).toContainEqual(expect.stringMatching(/: frame of 16385 bytes exceeds the limit of 16384 before authentication/));

    const empty = rawConnection(port);
    empty.socket.write(Buffer.alloc(4));
    await empty.closed;
    expect(messages(logs)).toContainEqual(expect.stringMatching(/: frame header says 0 bytes, but every frame holds at least its type byte$/));
    await waitFor(() => b.unauthenticatedConnections === 0, 'no connection left in its handshake');
    await b.close();
  });

  it('refuses connections beyond topo.worker.max.unauthenticated.connections at once, and takes a peer again once one goes', async () => {
    const logs: LogRecord[] = [];
    const secret = Buffer.from('s3cret');
    const b = transport('worker-002', secret, [], logs, { limits: { maxUnauthenticated: 3 } });
    const portB = await b.listen('127.0.0.1');
    const silent = [rawConnection(portB), rawConnection(portB), rawConnection(portB)];
    await waitFor(() => b.unauthenticatedConnections === 3, 'three connections in their handshake');

    const over = rawConnection(portB);
    await over.closed;
    expect(messages(logs)).toContainEqual(
      expect.stringMatching(/^refused connection from 127\.0\.0\.1:\d+: 3 connections are already in their handshake \(topo\.worker\.max\.unauthenticated\.connections\)$/),
    );
    expect(b.unauthenticatedConnections).toBe(3);

    silent[0].socket.destroy();
    await waitFor(() => b.unauthenticatedConnections === 2, 'the place freed');
    const a = transport('worker-001', secret, []);
    const peers = [
      { id: 'worker-001', host: '127.0.0.1', port: await a.listen('127.0.0.1') },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ];
    a.setPeers(peers);
    b.setPeers(peers);
    await waitFor(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 'the peer connected');
    expect(b.unauthenticatedConnections).toBe(2);
    for (const { socket } of silent) socket.destroy();
    await a.close();
    await b.close();
  });

  it('logs at most topo.worker.refusals.logged.per.minute refusals one by one, and counts the rest in one line', async () => {
    const logs: LogRecord[] = [];
    const b = transport('worker-002', Buffer.from('secret'), [], logs, { limits: { refusalsLoggedPerMinute: 3 } });
    const port = await b.listen('127.0.0.1');
    for (let i = 0; i < 8; i++) {
      const c = rawConnection(port);
      c.socket.write(encodeFrame(FRAME_BATCH, Buffer.alloc(12)));
      await c.closed;
    }
    await waitFor(() => b.refusedLinks === 8, 'eight refusals');
    expect(messages(logs).filter((m) => m.includes('frame type 5 before authentication'))).toHaveLength(3);
    await b.close();
    expect(messages(logs).at(-1)).toBe(
      '5 more links between workers were refused or displaced without a line each (at most 3 such lines a minute: topo.worker.refusals.logged.per.minute)',
    );
  });
});

describe('Transport: who a peer is', () => {
  const secret = Buffer.from('s3cret-s3cret-s3cret');

  it('refuses, at warn, a peer that knows the secret but claims an id the peers table does not have', async () => {
    const logs: LogRecord[] = [];
    const atB: Received[] = [];
    const b = transport('worker-002', secret, atB, logs, { limits: { handshakeTimeoutMs: 500 } });
    const portB = await b.listen('127.0.0.1');
    const stranger = transport('worker-000', secret, []);
    const portS = await stranger.listen('127.0.0.1');
    b.setPeers([
      { id: 'worker-001', host: '127.0.0.1', port: 1 },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ]);
    stranger.setPeers([
      { id: 'worker-000', host: '127.0.0.1', port: portS },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ]);
    await waitFor(() => messages(logs).some((m) => /^refused connection from 127\.0\.0\.1:\d+: it claims to be worker worker-000, which is not in this worker's peers table$/.test(m)), 'the refusal');
    expect(b.connectedPeers()).toEqual([]);
    expect(stranger.connectedPeers()).toEqual([]);
    await stranger.close();
    await b.close();
  });

  it('refuses a claim from another address than the peers table gives that worker, and binds its own dialing sockets to its listen address', async () => {
    const logs: LogRecord[] = [];
    const b = transport('worker-002', secret, [], logs, { limits: { handshakeTimeoutMs: 500 } });
    const portB = await b.listen('127.0.0.1');
    // worker-001 really listens (and so dials from) 127.0.0.1, where B's table says 127.0.0.2.
    const a = transport('worker-001', secret, []);
    const portA = await a.listen('127.0.0.1');
    b.setPeers([
      { id: 'worker-001', host: '127.0.0.2', port: portA },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ]);
    a.setPeers([
      { id: 'worker-001', host: '127.0.0.1', port: portA },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ]);
    await waitFor(
      () => messages(logs).some((m) => /^refused connection from 127\.0\.0\.1:\d+: it claims to be worker worker-001, which the peers table puts on 127\.0\.0\.2, not 127\.0\.0\.1$/.test(m)),
      'the refusal',
    );
    expect(b.connectedPeers()).toEqual([]);
    await a.close();

    // The same worker listening on 127.0.0.2 dials from there, wherever its peer is.
    const moved = transport('worker-001', secret, []);
    const peers = [
      { id: 'worker-001', host: '127.0.0.2', port: await moved.listen('127.0.0.2') },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ];
    moved.setPeers(peers);
    b.setPeers(peers);
    await waitFor(() => b.connectedPeers().length === 1, 'worker-001 connected from 127.0.0.2');
    await moved.close();
    await b.close();
  });

  it('lets a peer that dials before this worker has heard of it wait for the peers table, within the handshake deadline', async () => {
    const logs: LogRecord[] = [];
    const b = transport('worker-002', secret, [], logs);
    const portB = await b.listen('127.0.0.1');
    const a = transport('worker-001', secret, []);
    const peers = [
      { id: 'worker-001', host: '127.0.0.1', port: await a.listen('127.0.0.1') },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ];
    b.setPeers(peers.slice(1));
    a.setPeers(peers);
    await waitFor(() => b.claimsAwaitingPeers === 1, 'worker-001 authenticated, waiting for the table');
    expect(b.connectedPeers()).toEqual([]);
    b.setPeers(peers);
    await waitFor(() => a.connectedPeers().length === 1 && b.connectedPeers().length === 1, 'connected once the table has it');
    expect(messages(logs)).toEqual([]);
    await a.close();
    await b.close();
  });

  it('logs at warn when a second connection claiming a connected worker displaces the first, and reports the first as lost', async () => {
    const logs: LogRecord[] = [];
    const lost: string[] = [];
    const b = transport('worker-002', secret, [], logs, { onPeerLost: (peer) => lost.push(peer) });
    const portB = await b.listen('127.0.0.1');
    const a = transport('worker-001', secret, []);
    const portA = await a.listen('127.0.0.1');
    const peers = [
      { id: 'worker-001', host: '127.0.0.1', port: portA },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ];
    a.setPeers(peers);
    b.setPeers(peers);
    await waitFor(() => b.connectedPeers().length === 1, 'worker-001 connected');
    const twin = transport('worker-001', secret, []);
    twin.setPeers([{ id: 'worker-001', host: '127.0.0.1', port: await twin.listen('127.0.0.1') }, peers[1]]);
    await waitFor(() => messages(logs).some((m) => /^worker worker-001 connected again from 127\.0\.0\.1:\d+; closing its previous connection$/.test(m)), 'the displacement logged');
    expect(lost).toEqual(['worker-001']);
    await twin.close();
    await a.close();
    await b.close();
  });

  it('closes, with the reason, an authenticated link that sends anything but a batch or a well-formed backpressure signal', async () => {
    const logs: LogRecord[] = [];
    const b = transport('worker-002', secret, [], logs);
    const portB = await b.listen('127.0.0.1');
    b.setPeers([
      { id: 'worker-001', host: '127.0.0.1', port: 1 },
      { id: 'worker-002', host: '127.0.0.1', port: portB },
    ]);
    const frames: [Buffer, RegExp][] = [
      [encodeFrame(9, Buffer.alloc(3)), /frame type 9 with 3 payload bytes is neither a batch nor a backpressure signal$/],
      [encodeFrame(FRAME_BACKPRESSURE, Buffer.alloc(0)), /frame type 6 with 0 payload bytes is neither/],
      [encodeFrame(FRAME_BACKPRESSURE, Uint8Array.of(7)), /frame type 6 with 1 payload bytes is neither/],
      [Buffer.alloc(4), /frame header says 0 bytes, but every frame holds at least its type byte$/],
      [encodeFrame(FRAME_BATCH, Buffer.alloc(5)), /batch frame of 5 bytes is shorter than its 12-byte counts$/],
    ];
    for (const [frame, reason] of frames) {
      const peer = await handshakenConnection(portB, secret, 'worker-001', 'worker-002');
      await waitFor(() => b.connectedPeers().length === 1, 'worker-001 connected');
      peer.socket.write(frame);
      await peer.closed;
      expect(messages(logs).at(-1)).toMatch(new RegExp(`^closing link from worker worker-001 \\(127\\.0\\.0\\.1:\\d+\\): ${reason.source}`));
      await waitFor(() => b.connectedPeers().length === 0, 'the link gone');
    }
    await b.close();
  });
});
