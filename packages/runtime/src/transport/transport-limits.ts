import { TopoError, type TopologyConfig } from '@topo/topology-dsl';

/** Config keys bounding what a connection between workers may cost before and after its peer authenticates. */
export const TRANSPORT_CONFIG = {
  maxFrameBytes: 'topo.worker.max.frame.bytes',
  handshakeMaxFrameBytes: 'topo.worker.handshake.max.frame.bytes',
  maxUnauthenticated: 'topo.worker.max.unauthenticated.connections',
  handshakeTimeoutMs: 'topo.worker.handshake.timeout.ms',
  refusalsLoggedPerMinute: 'topo.worker.refusals.logged.per.minute',
  maxUnsent: 'topo.worker.max.unsent.messages',
  unreachableGraceMs: 'topo.worker.unreachable.grace.ms',
} as const;

export interface TransportLimits {
  /** Largest frame from an authenticated peer (a batch of tuples). */
  maxFrameBytes: number;
  /** Largest frame before the handshake completes; its frames are a few hundred bytes. */
  handshakeMaxFrameBytes: number;
  /** Accepted connections that have not authenticated yet, at most; more are closed at once. */
  maxUnauthenticated: number;
  /** Time a connection gets to complete the handshake. */
  handshakeTimeoutMs: number;
  /** Refused or displaced links logged one by one per minute; the rest are counted in one line. */
  refusalsLoggedPerMinute: number;
  /** Messages held for a peer that is down; past that they are dropped and their trees failed at once. */
  maxUnsent: number;
  /** How long messages wait for a peer that is down (it may be restarting) before they are dropped and their trees failed. */
  unreachableGraceMs: number;
}

/**
 * 256 MiB for batches (a worker's queues cap what it sends long before); 16 KiB during the
 * handshake, so a connection that has proved nothing holds at most that, and 64 of those
 * (1 MiB) while the peers of a large topology connect at once. For a peer that is down,
 * 100,000 messages or 2 s, whichever comes first: a worker restarted in its slot is
 * usually back within the grace and gets them, and what a dead one would have received
 * is failed (and replayed) without waiting for the message timeout.
 */
export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  maxFrameBytes: 256 * 2 ** 20,
  handshakeMaxFrameBytes: 16 * 2 ** 10,
  maxUnauthenticated: 64,
  handshakeTimeoutMs: 5_000,
  refusalsLoggedPerMinute: 10,
  maxUnsent: 100_000,
  unreachableGraceMs: 2_000,
};

/** The limits a topology's config sets, defaults for the rest; a TopoError naming the key for a bad value. */
export function readTransportLimits(config: Readonly<TopologyConfig>): TransportLimits {
  const limits = { ...DEFAULT_TRANSPORT_LIMITS };
  for (const field of Object.keys(TRANSPORT_CONFIG) as (keyof TransportLimits)[]) {
    const key = TRANSPORT_CONFIG[field];
    const value = config[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new TopoError(`${key} must be a positive integer (got ${JSON.stringify(value)})`, { configKey: key });
    }
    limits[field] = value;
  }
  if (limits.handshakeMaxFrameBytes > limits.maxFrameBytes) {
    throw new TopoError(`${TRANSPORT_CONFIG.handshakeMaxFrameBytes} (${limits.handshakeMaxFrameBytes}) must not exceed ${TRANSPORT_CONFIG.maxFrameBytes} (${limits.maxFrameBytes})`, {
      configKey: TRANSPORT_CONFIG.handshakeMaxFrameBytes,
    });
  }
  return limits;
}
