import type { TopologyConfig } from '@topo/topology-dsl';
import { ConfigReader } from './config-reader.js';

/** Config keys of the BullMQ connectors; the spec options set them. */
export const BULLMQ_KEYS = {
  /** Spec option `connection`: the Redis URL. Shared with the Redis Streams connectors. */
  url: 'topo.redis.url',
  /** Spec option `queue`. */
  queue: 'topo.bullmq.queue',
  /** Spec option `prefix`: BullMQ's key prefix (default `bull`). */
  prefix: 'topo.bullmq.prefix',
  /** Spec option `lockDurationMs` (spout): how long a fetched job stays locked without renewal (default 30000). */
  lockDurationMs: 'topo.bullmq.lock.duration.ms',
  /** Spec option `stalledIntervalMs` (spout): how often to look for jobs of dead consumers (default 30000). */
  stalledIntervalMs: 'topo.bullmq.stalled.interval.ms',
  /** Spec option `maxStalledCount` (spout): stalls before a job is failed for good (default 1). */
  maxStalledCount: 'topo.bullmq.max.stalled.count',
  /** Spec option `jobName` (bolt): name of the jobs added (default: the component's name). */
  jobName: 'topo.bullmq.job.name',
  /** Spec option `idField` (bolt): the tuple field whose value becomes the job id, so replays add no duplicate. */
  idField: 'topo.bullmq.job.id.field',
  /** Spec option `jobOptions` (bolt): BullMQ job options for every job (attempts, backoff, removeOnComplete, ...). */
  jobOptions: 'topo.bullmq.job.options',
} as const;

/**
 * Jobs a spout task holds when `topology.max.spout.pending` is unset: BullMQ jobs are
 * locks to renew, not free. Redis is what limits a busy queue, and a spout holding 200
 * drained one 5% faster than with 1000 (30,000 against 28,600 jobs/s here, as fast as a
 * plain BullMQ Worker of concurrency 100), its process spending about 12% less CPU per
 * job with fewer Job objects alive at once. A pipeline whose trees take long needs more
 * in hand (jobs/s is at most held / complete latency): set max spout pending.
 */
export const DEFAULT_MAX_HELD_JOBS = 200;

export interface BullMQSpoutSettings {
  url: string;
  queue: string;
  prefix: string | undefined;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
  maxHeld: number;
}

export interface BullMQBoltSettings {
  url: string;
  queue: string;
  prefix: string | undefined;
  jobName: string;
  idField: string | undefined;
  jobOptions: Record<string, unknown>;
}

export function readBullMQSpoutSettings(reader: ConfigReader, config: Readonly<TopologyConfig>): BullMQSpoutSettings {
  const pending = config['topology.max.spout.pending'];
  return {
    url: reader.redisUrl(BULLMQ_KEYS.url, 'connection'),
    queue: reader.requiredString(BULLMQ_KEYS.queue, 'queue'),
    prefix: reader.optionalString(BULLMQ_KEYS.prefix),
    lockDurationMs: reader.integer(BULLMQ_KEYS.lockDurationMs, 30_000, 100),
    stalledIntervalMs: reader.integer(BULLMQ_KEYS.stalledIntervalMs, 30_000, 100),
    maxStalledCount: reader.integer(BULLMQ_KEYS.maxStalledCount, 1, 0),
    maxHeld: typeof pending === 'number' ? pending : DEFAULT_MAX_HELD_JOBS,
  };
}

export function readBullMQBoltSettings(reader: ConfigReader, component: string): BullMQBoltSettings {
  return {
    url: reader.redisUrl(BULLMQ_KEYS.url, 'connection'),
    queue: reader.requiredString(BULLMQ_KEYS.queue, 'queue'),
    prefix: reader.optionalString(BULLMQ_KEYS.prefix),
    jobName: reader.optionalString(BULLMQ_KEYS.jobName) ?? component,
    idField: reader.optionalString(BULLMQ_KEYS.idField),
    jobOptions: reader.object(BULLMQ_KEYS.jobOptions),
  };
}
