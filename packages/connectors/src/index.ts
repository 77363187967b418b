export { BullMQSpout, type BullMQSpoutOptions } from './bullmq-spout.js';
export { BullMQBolt, type BullMQBoltOptions } from './bullmq-bolt.js';
export { DEFAULT_SINK_IN_FLIGHT } from './sink-batch.js';
export { BULLMQ_KEYS, DEFAULT_MAX_HELD_JOBS } from './bullmq-config.js';
export { RedisStreamSpout, type RedisStreamSpoutOptions } from './redis-stream-spout.js';
export { RedisStreamBolt, type RedisStreamBoltOptions } from './redis-stream-bolt.js';
export { REDIS_STREAM_KEYS, DEFAULT_MAX_HELD_ENTRIES } from './redis-stream-config.js';
export type { StreamEntry } from './stream-entry.js';
export { redisUrlProblem } from './redis-url.js';
