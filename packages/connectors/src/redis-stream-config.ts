import type { TopologyConfig } from '@topo/topology-dsl';
import { ConfigReader } from './config-reader.js';

/** Config keys of the Redis Streams connectors; the spec options set them. */
export const REDIS_STREAM_KEYS = {
  /** Spec option `connection`: the Redis URL. Shared with the BullMQ connectors. */
  url: 'topo.redis.url',
  /** Spec option `stream`: the stream's key. */
  stream: 'topo.redis.stream',
  /** Spec option `group` (spout): the consumer group, created if missing. */
  group: 'topo.redis.stream.group',
  /** Spec option `consumer` (spout): consumer name of the component's tasks, each appending `:<task index>` (default `<topology>:<component>`). */
  consumer: 'topo.redis.stream.consumer',
  /** Spec option `startId` (spout): where a group created by the spout starts: `0` (the whole stream, default) or `$` (new entries). */
  startId: 'topo.redis.stream.start.id',
  /** Spec option `maxDeliveries` (spout): deliveries after which a failing entry goes to the dead-letter stream (default 5). */
  maxDeliveries: 'topo.redis.stream.max.deliveries',
  /** Spec option `deadLetterStream` (spout): where those entries go (default `<stream>:dead-letter`). */
  deadLetterStream: 'topo.redis.stream.dead.letter',
  /** Spec option `claimIdleMs` (spout): idle time after which another consumer's pending entry is claimed (default: twice the message timeout, at least 60 s). */
  claimIdleMs: 'topo.redis.stream.claim.idle.ms',
  /** Spec option `readCount` (spout): entries per XREADGROUP at most (default 1000). */
  readCount: 'topo.redis.stream.read.count',
  /** Spec option `blockMs` (spout): how long a read of new entries waits on a quiet stream (default 1000). */
  blockMs: 'topo.redis.stream.block.ms',
  /** Spec option `maxLen` (bolt): trim the stream to about this many entries on each add (`MAXLEN ~`). */
  maxLen: 'topo.redis.stream.maxlen',
} as const;

/** Entries a spout task holds when `topology.max.spout.pending` is unset. */
export const DEFAULT_MAX_HELD_ENTRIES = 1000;

export interface RedisStreamSpoutSettings {
  url: string;
  stream: string;
  group: string;
  consumer: string;
  startId: string;
  maxDeliveries: number;
  deadLetterStream: string;
  claimIdleMs: number;
  readCount: number;
  blockMs: number;
  maxHeld: number;
}

export interface RedisStreamBoltSettings {
  url: string;
  stream: string;
  maxLen: number | undefined;
}

/** Where the task runs, for the default consumer name: stable across restarts, so a restarted task finds its own pending entries. */
export interface TaskIdentity {
  topologyName: string;
  componentId: string;
  taskIndex: number;
}

export function readRedisStreamSpoutSettings(reader: ConfigReader, config: Readonly<TopologyConfig>, task: TaskIdentity): RedisStreamSpoutSettings {
  const stream = reader.requiredString(REDIS_STREAM_KEYS.stream, 'stream');
  const startId = reader.optionalString(REDIS_STREAM_KEYS.startId) ?? '0';
  const pending = config['topology.max.spout.pending'];
  const timeoutMs = Number(config['topology.message.timeout.secs'] ?? 30) * 1000;
  return {
    url: reader.redisUrl(REDIS_STREAM_KEYS.url, 'connection'),
    stream,
    group: reader.requiredString(REDIS_STREAM_KEYS.group, 'group'),
    consumer: `${reader.optionalString(REDIS_STREAM_KEYS.consumer) ?? `${task.topologyName}:${task.componentId}`}:${task.taskIndex}`,
    startId,
    maxDeliveries: reader.integer(REDIS_STREAM_KEYS.maxDeliveries, 5, 1),
    deadLetterStream: reader.optionalString(REDIS_STREAM_KEYS.deadLetterStream) ?? `${stream}:dead-letter`,
    claimIdleMs: reader.integer(REDIS_STREAM_KEYS.claimIdleMs, Math.max(60_000, 2 * timeoutMs), 1),
    readCount: reader.integer(REDIS_STREAM_KEYS.readCount, 1000, 1),
    blockMs: reader.integer(REDIS_STREAM_KEYS.blockMs, 1000, 1),
    maxHeld: typeof pending === 'number' ? pending : DEFAULT_MAX_HELD_ENTRIES,
  };
}

export function readRedisStreamBoltSettings(reader: ConfigReader): RedisStreamBoltSettings {
  return {
    url: reader.redisUrl(REDIS_STREAM_KEYS.url, 'connection'),
    stream: reader.requiredString(REDIS_STREAM_KEYS.stream, 'stream'),
    maxLen: reader.integer(REDIS_STREAM_KEYS.maxLen, undefined, 1),
  };
}
