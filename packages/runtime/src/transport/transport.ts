import net from 'node:net';
import { Packr, Unpackr } from 'msgpackr';
import type { Logger } from '../logger.js';
import { encodeFrame, FRAME_PREFIX_BYTES, FrameDecoder, sealFrame } from './frame-decoder.js';
import { FRAME_BACKPRESSURE, FRAME_BATCH, FRAME_CHALLENGE, FRAME_HELLO, FRAME_PROOF, FRAME_READY } from './frame-types.js';
import { newNonce, proof, proofMatches } from './handshake.js';
import { decodeBatch, OutgoingBatch, type IncomingBatch } from './outgoing-batch.js';

/** Where a worker listens; the peers table every worker converges to. */
export interface PeerAddress {
  id: string;
  host: string;
  port: number;
}

export interface TransportOptions {
  workerId: string;
  topology: string;
  secret: Buffer;
  logger: Logger;
  /** A batch frame from an authenticated peer. */
  onBatch(peer: string, batch: IncomingBatch): void;
  /** A peer's receive queues passed (true) or fell below (false) their marks. */
  onBackpressure(peer: string, on: boolean): void;
  /** Tuples that could not be sent (peer unreachable too long): the roots of their trees, flat `[hi, lo, ...]`. */
  onDropped(peer: string, roots: number[]): void;
  /** The kernel's send buffer to a peer is full (true) or drained (false). */
  onSendBlocked(peer: string, blocked: boolean): void;
  /** Messages held for an unreachable peer before they are dropped and their trees failed. */
  maxUnsent?: number;
  maxFrameBytes?: number;
  /**
   * Messages a peer's batch holds before it is sent (`topology.transfer.batch.size`):
   * a smaller one waits up to `flushIntervalMs` for more. 1, the default, sends every
   * batch at the end of the slice that filled it.
   */
  batchMessages?: number;
  /** `topology.batch.flush.interval.millis`: the longest a batch smaller than `batchMessages` waits. */
  flushIntervalMs?: number;
}

const HANDSHAKE_TIMEOUT_MS = 5000;
const RECONNECT_MIN_MS = 50;
const RECONNECT_MAX_MS = 2000;
/** How long messages wait for a peer that is down before their trees are failed. */
const UNREACHABLE_GRACE_MS = 2000;

interface Hello {
  worker: string;
  topology: string;
  nonce: string;
}

/** One peer: the authenticated socket (when up), what waits to be sent, and reconnect state. */
class PeerLink {
  socket: net.Socket | undefined;
  ready = false;
  blocked = false;
  readonly batch = new OutgoingBatch();
  address: PeerAddress | undefined;
  backoff = RECONNECT_MIN_MS;
  dialTimer: NodeJS.Timeout | undefined;
  dialing = false;
  closed = false;
  /** When the peer went unreachable with messages waiting; they are dropped after a grace period. */
  downSince = 0;
  /** Set while a batch smaller than the transfer batch size waits; when it fires, the batch goes whatever its size. */
  flushTimer: NodeJS.Timeout | undefined;
  constructor(readonly id: string) {}
}

/**
 * The worker's connections to the other workers of its topology: one TCP connection per
 * pair (the smaller id dials), authenticated both ways with the topology secret before
 * any tuple is accepted. Messages are batched per peer and flushed as one frame at the
 * end of each scheduler slice, or, with a transfer batch size above 1, once the batch is
 * that big or has waited the flush interval.
 */
export class Transport {
  private readonly server: net.Server;
  private readonly links = new Map<string, PeerLink>();
  private readonly packr = new Packr({ useRecords: false });
  private readonly unpackr = new Unpackr({ useRecords: false });
  private readonly maxUnsent: number;
  private readonly maxFrameBytes: number;
  private readonly batchMessages: number;
  private readonly flushIntervalMs: number;
  private closing = false;
  /** Batch frames written, their bytes and the tuples they carried, for the bench. */
  framesSent = 0;
  bytesSent = 0;
  tuplesSent = 0;

  constructor(private readonly options: TransportOptions) {
    this.maxUnsent = options.maxUnsent ?? 100_000;
    this.maxFrameBytes = options.maxFrameBytes ?? 256 * 2 ** 20;
    this.batchMessages = options.batchMessages ?? 1;
    this.flushIntervalMs = options.flushIntervalMs ?? 1;
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(host: string, port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as net.AddressInfo).port);
      });
    });
  }

  /** Converges connections to the peers table: dials new or moved peers, drops removed ones. */
  setPeers(peers: PeerAddress[]): void {
    const wanted = new Set<string>();
    for (const peer of peers) {
      if (peer.id === this.options.workerId) continue;
      wanted.add(peer.id);
      const link = this.link(peer.id);
      const moved = link.address !== undefined && (link.address.host !== peer.host || link.address.port !== peer.port);
      link.address = peer;
      if (moved && link.socket !== undefined) link.socket.destroy();
      if (this.dials(peer.id) && !link.ready && !link.dialing && link.dialTimer === undefined) this.dial(link);
    }
    for (const [id, link] of this.links) {
      if (!wanted.has(id)) this.remove(link);
    }
  }

  sendBuffer(peer: string): OutgoingBatch {
    return this.link(peer).batch;
  }

  /**
   * Writes each peer's pending batch as one frame, unless it is smaller than the transfer
   * batch size and has not waited the flush interval yet (`force` sends it anyway); drops
   * (and reports) what waited too long for a dead peer.
   */
  flush(force = false): void {
    for (const link of this.links.values()) {
      const batch = link.batch;
      if (batch.size === 0) continue;
      if (link.ready && link.socket !== undefined) {
        if (batch.size >= this.batchMessages || force) this.send(link);
        else link.flushTimer ??= setTimeout(() => this.send(link), this.flushIntervalMs);
      } else {
        const now = Date.now();
        if (link.downSince === 0) link.downSince = now;
        if (batch.size > this.maxUnsent || now - link.downSince > UNREACHABLE_GRACE_MS) {
          this.options.logger({ level: 'warn', message: `worker ${link.id} is unreachable; failing the trees of ${batch.tupleCount} tuples queued for it` });
          this.options.onDropped(link.id, batch.takeRoots());
          link.downSince = now;
        }
      }
    }
  }

  /** Writes a peer's batch as one frame now, whatever its size; a no-op once the connection is gone (the next flush deals with that). */
  private send(link: PeerLink): void {
    if (link.flushTimer !== undefined) {
      clearTimeout(link.flushTimer);
      link.flushTimer = undefined;
    }
    const { batch, socket } = link;
    if (batch.size === 0 || !link.ready || socket === undefined) return;
    this.framesSent++;
    this.tuplesSent += batch.tupleCount;
    const frame = sealFrame(batch.encode(this.packr, FRAME_PREFIX_BYTES), FRAME_BATCH);
    this.bytesSent += frame.length;
    if (!socket.write(frame) && !link.blocked) {
      link.blocked = true;
      this.options.onSendBlocked(link.id, true);
    }
  }

  broadcastBackpressure(on: boolean): void {
    const frame = encodeFrame(FRAME_BACKPRESSURE, Uint8Array.of(on ? 1 : 0));
    for (const link of this.links.values()) if (link.ready) link.socket!.write(frame);
  }

  /** Peers with an authenticated connection. */
  connectedPeers(): string[] {
    return [...this.links.values()].filter((l) => l.ready).map((l) => l.id);
  }

  async close(): Promise<void> {
    this.flush(true);
    this.closing = true;
    for (const link of this.links.values()) this.remove(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private link(id: string): PeerLink {
    let link = this.links.get(id);
    if (link === undefined) {
      link = new PeerLink(id);
      this.links.set(id, link);
    }
    return link;
  }

  /** The worker with the smaller id dials, so each pair has exactly one connection. */
  private dials(peer: string): boolean {
    return this.options.workerId < peer;
  }

  private remove(link: PeerLink): void {
    link.closed = true;
    if (link.dialTimer !== undefined) clearTimeout(link.dialTimer);
    if (link.flushTimer !== undefined) clearTimeout(link.flushTimer);
    link.socket?.destroy();
    this.links.delete(link.id);
    if (link.batch.size > 0) this.options.onDropped(link.id, link.batch.takeRoots());
  }

  private dial(link: PeerLink): void {
    if (link.address === undefined || link.closed || this.closing) return;
    link.dialing = true;
    const nonce = newNonce();
    const socket = net.connect({ host: link.address.host, port: link.address.port });
    socket.setNoDelay(true);
    let authenticated = false;
    const timer = setTimeout(() => socket.destroy(new Error('handshake timed out')), HANDSHAKE_TIMEOUT_MS);
    const decoder = new FrameDecoder(this.maxFrameBytes, (type, payload) => {
      if (authenticated) return this.onFrame(link, type, payload);
      if (type === FRAME_CHALLENGE) {
        const challenge = JSON.parse(payload.toString()) as { worker: string; nonce: string; proof: string };
        const expected = proof(this.options.secret, 'acceptor', challenge.nonce, nonce, link.id);
        if (challenge.worker !== link.id || !proofMatches(expected, challenge.proof)) {
          this.options.logger({ level: 'warn', message: `worker at ${link.address?.host}:${link.address?.port} failed to prove it is ${link.id}; closing` });
          socket.destroy();
          return;
        }
        const mine = proof(this.options.secret, 'dialer', nonce, challenge.nonce, this.options.workerId);
        socket.write(encodeFrame(FRAME_PROOF, Buffer.from(JSON.stringify({ proof: mine }))));
      } else if (type === FRAME_READY) {
        authenticated = true;
        clearTimeout(timer);
        this.attach(link, socket);
      } else {
        socket.destroy();
      }
    });
    socket.on('connect', () => {
      socket.write(encodeFrame(FRAME_HELLO, Buffer.from(JSON.stringify({ worker: this.options.workerId, topology: this.options.topology, nonce }))));
    });
    socket.on('data', (chunk: Buffer) => this.feed(decoder, socket, chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      link.dialing = false;
      if (link.socket === socket) this.detach(link);
      if (!link.closed && !this.closing && !link.ready) {
        link.dialTimer = setTimeout(() => {
          link.dialTimer = undefined;
          this.dial(link);
        }, link.backoff);
        link.backoff = Math.min(RECONNECT_MAX_MS, link.backoff * 2);
      }
    });
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    let refused = false;
    const refuse = (reason: string) => {
      refused = true;
      this.options.logger({ level: 'warn', message: `refused connection from ${remote}: ${reason}` });
      socket.destroy();
    };
    const timer = setTimeout(() => refuse('no handshake within 5 s'), HANDSHAKE_TIMEOUT_MS);
    let hello: Hello | undefined;
    let nonce = '';
    let link: PeerLink | undefined;
    const decoder = new FrameDecoder(this.maxFrameBytes, (type, payload) => {
      if (link !== undefined) return this.onFrame(link, type, payload);
      if (type === FRAME_HELLO && hello === undefined) {
        let parsed: Hello;
        try {
          parsed = JSON.parse(payload.toString()) as Hello;
        } catch {
          return refuse('malformed hello');
        }
        if (typeof parsed?.worker !== 'string' || typeof parsed.nonce !== 'string') return refuse('malformed hello');
        if (parsed.topology !== this.options.topology) return refuse(`hello for topology ${String(parsed.topology)}, this is ${this.options.topology}`);
        hello = parsed;
        nonce = newNonce();
        const mine = proof(this.options.secret, 'acceptor', nonce, parsed.nonce, this.options.workerId);
        socket.write(encodeFrame(FRAME_CHALLENGE, Buffer.from(JSON.stringify({ worker: this.options.workerId, nonce, proof: mine }))));
      } else if (type === FRAME_PROOF && hello !== undefined) {
        let answer: { proof?: unknown };
        try {
          answer = JSON.parse(payload.toString()) as { proof?: unknown };
        } catch {
          return refuse('malformed proof');
        }
        const expected = proof(this.options.secret, 'dialer', hello.nonce, nonce, hello.worker);
        if (!proofMatches(expected, answer.proof)) return refuse(`worker ${hello.worker} does not know the topology secret`);
        clearTimeout(timer);
        socket.write(encodeFrame(FRAME_READY, new Uint8Array(0)));
        link = this.link(hello.worker);
        if (link.socket !== undefined && link.socket !== socket) link.socket.destroy();
        this.attach(link, socket);
      } else {
        refuse(`frame type ${type} before authentication`);
      }
    });
    socket.on('data', (chunk: Buffer) => this.feed(decoder, socket, chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      if (link !== undefined && link.socket === socket) this.detach(link);
      // A dialer that cannot check our proof (it lacks the secret) hangs up: say so.
      if (link === undefined && !refused && !this.closing) {
        this.options.logger({ level: 'warn', message: `refused connection from ${remote}: it closed before proving it knows the topology secret` });
      }
    });
  }

  private feed(decoder: FrameDecoder, socket: net.Socket, chunk: Buffer): void {
    try {
      decoder.push(chunk);
    } catch (error) {
      this.options.logger({ level: 'warn', message: `closing connection from ${socket.remoteAddress}: ${error instanceof Error ? error.message : String(error)}` });
      socket.destroy();
    }
  }

  private attach(link: PeerLink, socket: net.Socket): void {
    link.socket = socket;
    link.ready = true;
    link.downSince = 0;
    link.dialing = false;
    link.backoff = RECONNECT_MIN_MS;
    socket.on('drain', () => {
      if (link.blocked) {
        link.blocked = false;
        this.options.onSendBlocked(link.id, false);
      }
    });
    this.options.logger({ level: 'debug', message: `connected to worker ${link.id}` });
    // What waited for the connection goes now: a worker with nothing to poll may not run a slice (and flush) for a while.
    if (link.batch.size > 0) this.flush();
  }

  private detach(link: PeerLink): void {
    link.socket = undefined;
    link.ready = false;
    if (link.blocked) {
      link.blocked = false;
      this.options.onSendBlocked(link.id, false);
    }
    this.options.onBackpressure(link.id, false);
  }

  private onFrame(link: PeerLink, type: number, payload: Buffer): void {
    if (type === FRAME_BATCH) {
      this.options.onBatch(link.id, decodeBatch(payload, this.unpackr));
    } else if (type === FRAME_BACKPRESSURE) {
      this.options.onBackpressure(link.id, payload[0] === 1);
    }
  }
}
