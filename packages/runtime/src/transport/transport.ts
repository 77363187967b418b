import net from 'node:net';
import { TopoError } from '@topo/topology-dsl';
import { Packr, Unpackr } from 'msgpackr';
import type { Logger } from '../logging/logger.js';
import { encodeFrame, FRAME_PREFIX_BYTES, FrameDecoder, sealFrame } from './frame-decoder.js';
import { FRAME_BACKPRESSURE, FRAME_BATCH, FRAME_CHALLENGE, FRAME_HELLO, FRAME_PROOF, FRAME_READY } from './frame-types.js';
import { newNonce, proof, proofMatches } from './handshake.js';
import { decodeBatch, OutgoingBatch, type IncomingBatch } from './outgoing-batch.js';
import { comesFromHost, sourceAddressFor } from './peer-host.js';
import { RefusalLog, shown } from './refusal-log.js';
import { DEFAULT_TRANSPORT_LIMITS, TRANSPORT_CONFIG, type TransportLimits } from './transport-limits.js';

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
  /**
   * A batch frame from an authenticated peer. Throwing refuses it: nothing of it may have
   * been applied yet; the link is closed (the peer dials again) and the refusal logged.
   */
  onBatch(peer: string, batch: IncomingBatch): void;
  /** A peer's receive queues passed (true) or fell below (false) their marks. */
  onBackpressure(peer: string, on: boolean): void;
  /** Tuples that could not be sent (peer unreachable too long): the roots of their trees, flat `[hi, lo, ...]`. */
  onDropped(peer: string, roots: number[]): void;
  /** The kernel's send buffer to a peer is full (true) or drained (false). */
  onSendBlocked(peer: string, blocked: boolean): void;
  /** An authenticated connection to a peer closed: what the peer had received and not yet passed on may be lost. */
  onPeerLost?(peer: string): void;
  /** From the topology's config (readTransportLimits); defaults for the rest. */
  limits?: Partial<TransportLimits>;
  /**
   * Messages a peer's batch holds before it is sent (`topology.transfer.batch.size`):
   * a smaller one waits up to `flushIntervalMs` for more. 1, the default, sends every
   * batch at the end of the slice that filled it.
   */
  batchMessages?: number;
  /** `topology.batch.flush.interval.millis`: the longest a batch smaller than `batchMessages` waits. */
  flushIntervalMs?: number;
}

const BEFORE_AUTHENTICATION = `before authentication (${TRANSPORT_CONFIG.handshakeMaxFrameBytes})`;
const RECONNECT_MIN_MS = 50;
const RECONNECT_MAX_MS = 2000;

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
  private readonly limits: TransportLimits;
  private readonly refusals: RefusalLog;
  private readonly batchMessages: number;
  private readonly flushIntervalMs: number;
  private closing = false;
  /** Where this worker listens: its dialing sockets leave from there too, as the peers table says. */
  private host: string | undefined;
  /** Accepted connections whose peer has not authenticated (or been placed in the peers table) yet. */
  private unauthenticated = 0;
  /** Authenticated connections whose claimed worker id the peers table does not confirm yet: each looks again when it changes. */
  private readonly claimsWaiting = new Set<() => void>();
  /** Counts setPeers calls: a claim checked against a table that changed meanwhile (a name being resolved) is checked again. */
  private peersVersion = 0;
  /** Accepted sockets in their handshake, closed with the transport. */
  private readonly handshaking = new Set<net.Socket>();
  /** Batch frames written, their bytes and the tuples they carried, for the bench. */
  framesSent = 0;
  bytesSent = 0;
  tuplesSent = 0;

  constructor(private readonly options: TransportOptions) {
    this.limits = { ...DEFAULT_TRANSPORT_LIMITS, ...options.limits };
    this.refusals = new RefusalLog(options.logger, this.limits.refusalsLoggedPerMinute);
    this.batchMessages = options.batchMessages ?? 1;
    this.flushIntervalMs = options.flushIntervalMs ?? 1;
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(host: string, port = 0): Promise<number> {
    this.host = host;
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
    this.peersVersion++;
    for (const lookAgain of [...this.claimsWaiting]) lookAgain();
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
        if (batch.size > this.limits.maxUnsent || now - link.downSince > this.limits.unreachableGraceMs) {
          this.options.logger.warn(`worker ${link.id} is unreachable; failing the trees of ${batch.tupleCount} tuples queued for it`);
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

  /** Accepted connections still in their handshake (at most `topo.worker.max.unauthenticated.connections`). */
  get unauthenticatedConnections(): number {
    return this.unauthenticated;
  }

  /** Authenticated connections waiting for a peers table that confirms who they claim to be. */
  get claimsAwaitingPeers(): number {
    return this.claimsWaiting.size;
  }

  /** Connections refused, closed for a bad frame, or displaced by a newer one, since start. */
  get refusedLinks(): number {
    return this.refusals.total;
  }

  async close(): Promise<void> {
    this.flush(true);
    this.closing = true;
    for (const link of this.links.values()) this.remove(link);
    this.claimsWaiting.clear();
    for (const socket of this.handshaking) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.refusals.close();
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
    const localAddress = sourceAddressFor(this.host);
    const socket = net.connect({ host: link.address.host, port: link.address.port, ...(localAddress === undefined ? {} : { localAddress, family: net.isIP(localAddress) }) });
    socket.setNoDelay(true);
    let authenticated = false;
    const timer = setTimeout(() => socket.destroy(new Error('handshake timed out')), this.limits.handshakeTimeoutMs);
    // Whoever answers at that address has proved nothing until its challenge checks out: a small limit until then.
    const decoder = new FrameDecoder(this.limits.handshakeMaxFrameBytes, (type, payload) => {
      if (authenticated) return this.onFrame(link, type, payload);
      if (type === FRAME_CHALLENGE) {
        const challenge = JSON.parse(payload.toString()) as { worker: string; nonce: string; proof: string };
        const expected = proof(this.options.secret, 'acceptor', challenge.nonce, nonce, link.id);
        if (challenge.worker !== link.id || !proofMatches(expected, challenge.proof)) {
          this.refusals.warn(`worker at ${link.address?.host}:${link.address?.port} failed to prove it is ${link.id}; closing`);
          socket.destroy();
          return;
        }
        const mine = proof(this.options.secret, 'dialer', nonce, challenge.nonce, this.options.workerId);
        socket.write(encodeFrame(FRAME_PROOF, Buffer.from(JSON.stringify({ proof: mine }))));
      } else if (type === FRAME_READY) {
        authenticated = true;
        clearTimeout(timer);
        decoder.setLimit(this.limits.maxFrameBytes, `(${TRANSPORT_CONFIG.maxFrameBytes})`);
        this.attach(link, socket);
      } else {
        throw new TopoError(`frame type ${type} before authentication`);
      }
    }, BEFORE_AUTHENTICATION);
    socket.on('connect', () => {
      socket.write(encodeFrame(FRAME_HELLO, Buffer.from(JSON.stringify({ worker: this.options.workerId, topology: this.options.topology, nonce }))));
    });
    socket.on('data', (chunk: Buffer) => this.feed(decoder, socket, chunk, () => (authenticated ? `link to worker ${link.id}` : `connection to ${link.address?.host}:${link.address?.port}`)));
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

  /**
   * The acceptor's side of the handshake. Until the peer has proved it knows the secret
   * and the peers table confirms who it claims to be, the connection counts against
   * `topo.worker.max.unauthenticated.connections` and may send only small frames.
   */
  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    if (this.unauthenticated >= this.limits.maxUnauthenticated) {
      this.refusals.warn(`refused connection from ${remote}: ${this.unauthenticated} connections are already in their handshake (${TRANSPORT_CONFIG.maxUnauthenticated})`);
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    this.unauthenticated++;
    this.handshaking.add(socket);
    let stage: 'hello' | 'proof' | 'claim' | 'done' = 'hello';
    let refused = false;
    let claimProblem = '';
    const leaveHandshake = () => {
      if (this.handshaking.delete(socket)) this.unauthenticated--;
      clearTimeout(timer);
      this.claimsWaiting.delete(lookAgain);
    };
    const refuse = (reason: string) => {
      refused = true;
      leaveHandshake();
      this.refusals.warn(`refused connection from ${remote}: ${reason}`);
      socket.destroy();
    };
    const timer = setTimeout(
      () => refuse(stage === 'claim' ? claimProblem : `no handshake within ${this.limits.handshakeTimeoutMs} ms (${TRANSPORT_CONFIG.handshakeTimeoutMs})`),
      this.limits.handshakeTimeoutMs,
    );
    let hello: Hello | undefined;
    let nonce = '';
    let link: PeerLink | undefined;
    // Places the authenticated peer by its claimed id, or waits for a peers table that does (until the handshake deadline).
    const lookAgain = () => {
      const version = this.peersVersion;
      void this.claimProblem(hello!.worker, socket.remoteAddress).then((problem) => {
        if (stage !== 'claim' || socket.destroyed || this.closing) return;
        if (problem === undefined) {
          stage = 'done';
          leaveHandshake();
          socket.write(encodeFrame(FRAME_READY, new Uint8Array(0)));
          decoder.setLimit(this.limits.maxFrameBytes, `(${TRANSPORT_CONFIG.maxFrameBytes})`);
          link = this.links.get(hello!.worker)!;
          if (link.socket !== undefined && link.socket !== socket) {
            this.refusals.warn(`worker ${link.id} connected again from ${remote}; closing its previous connection`);
            link.socket.destroy();
            // Its close will not detach the link (the new socket is attached first): a peer that dials again may have restarted.
            this.options.onPeerLost?.(link.id);
          }
          this.attach(link, socket);
        } else if (problem.final) {
          refuse(problem.reason);
        } else {
          claimProblem = problem.reason;
          if (version === this.peersVersion) this.claimsWaiting.add(lookAgain);
          else lookAgain();
        }
      });
    };
    const decoder = new FrameDecoder(this.limits.handshakeMaxFrameBytes, (type, payload) => {
      if (link !== undefined) return this.onFrame(link, type, payload);
      // The rest of a chunk after a refusal: the connection is gone already.
      if (refused) return;
      if (type === FRAME_HELLO && stage === 'hello') {
        let parsed: Hello;
        try {
          parsed = JSON.parse(payload.toString()) as Hello;
        } catch {
          return refuse('malformed hello');
        }
        if (typeof parsed?.worker !== 'string' || typeof parsed.nonce !== 'string') return refuse('malformed hello');
        if (parsed.topology !== this.options.topology) return refuse(`hello for topology ${shown(parsed.topology)}, this is ${this.options.topology}`);
        hello = parsed;
        stage = 'proof';
        nonce = newNonce();
        const mine = proof(this.options.secret, 'acceptor', nonce, parsed.nonce, this.options.workerId);
        socket.write(encodeFrame(FRAME_CHALLENGE, Buffer.from(JSON.stringify({ worker: this.options.workerId, nonce, proof: mine }))));
      } else if (type === FRAME_PROOF && stage === 'proof') {
        let answer: { proof?: unknown };
        try {
          answer = JSON.parse(payload.toString()) as { proof?: unknown };
        } catch {
          return refuse('malformed proof');
        }
        const expected = proof(this.options.secret, 'dialer', hello!.nonce, nonce, hello!.worker);
        if (!proofMatches(expected, answer.proof)) return refuse(`worker ${shown(hello!.worker)} does not know the topology secret`);
        stage = 'claim';
        lookAgain();
      } else {
        refuse(`frame type ${type} ${stage === 'claim' ? 'before the handshake was complete' : 'before authentication'}`);
      }
    }, BEFORE_AUTHENTICATION);
    socket.on('data', (chunk: Buffer) => {
      if (!refused) this.feed(decoder, socket, chunk, () => (link !== undefined ? `link from worker ${link.id} (${remote})` : `connection from ${remote}`));
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      leaveHandshake();
      if (link !== undefined && link.socket === socket) this.detach(link);
      // A dialer that cannot check our proof (it lacks the secret) hangs up: say so.
      if (link === undefined && !refused && !this.closing) {
        this.refusals.warn(`refused connection from ${remote}: it closed before ${stage === 'claim' ? 'the handshake was complete' : 'proving it knows the topology secret'}`);
      }
    });
  }

  /**
   * Why an authenticated peer is not (yet) the worker it claims to be: a claim no peers
   * table could confirm is final; one the next table may confirm (a worker this one has
   * not heard of yet, or heard of elsewhere) is not.
   */
  private async claimProblem(id: string, remoteAddress: string | undefined): Promise<{ reason: string; final: boolean } | undefined> {
    const claimed = `it claims to be worker ${shown(id)}`;
    if (id === this.options.workerId) return { reason: `${claimed}, which is this worker`, final: true };
    if (this.dials(id)) return { reason: `${claimed}, which this worker dials rather than the other way round`, final: true };
    const address = this.links.get(id)?.address;
    if (address === undefined) return { reason: `${claimed}, which is not in this worker's peers table`, final: false };
    if (!(await comesFromHost(remoteAddress, address.host))) {
      return { reason: `${claimed}, which the peers table puts on ${address.host}, not ${remoteAddress}`, final: false };
    }
    return undefined;
  }

  /** Feeds a connection's bytes to its decoder; a bad frame (or one its handler refuses) closes the connection. */
  private feed(decoder: FrameDecoder, socket: net.Socket, chunk: Buffer, describe: () => string): void {
    try {
      decoder.push(chunk);
    } catch (error) {
      this.refusals.warn(`closing ${describe()}: ${error instanceof Error ? error.message : String(error)}`);
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
    this.options.logger.debug(`connected to worker ${link.id}`);
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
    if (!this.closing) this.options.onPeerLost?.(link.id);
  }

  /** A frame from an authenticated peer; throws (closing the link) for anything but a well-formed batch or backpressure signal. */
  private onFrame(link: PeerLink, type: number, payload: Buffer): void {
    if (type === FRAME_BATCH) {
      this.options.onBatch(link.id, decodeBatch(payload, this.unpackr));
    } else if (type === FRAME_BACKPRESSURE && payload.length === 1 && payload[0] <= 1) {
      this.options.onBackpressure(link.id, payload[0] === 1);
    } else {
      throw new TopoError(`frame type ${type} with ${payload.length} payload bytes is neither a batch nor a backpressure signal`);
    }
  }
}
