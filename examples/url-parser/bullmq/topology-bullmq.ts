import { Topology } from '@topo/topology-dsl';
import { BullMQSpout, RedisStreamBolt } from '@topo/connectors';
import { HostCountBolt } from '../src/host-count-bolt.js';
import { UrlBolt } from '../src/url-bolt.js';
import { HOST_COUNTS_STREAM, URL_QUEUE } from './names.js';

/**
 * The url-parser fed from a BullMQ queue: each job `{ url }` becomes a tuple, web URLs are
 * counted per host, and every new count goes to a Redis stream. A job completes once its
 * URL is counted and the count is in the stream. Fill the queue with `produce.ts`; point
 * both at your Redis with `REDIS_URL` or `--config topo.redis.url=redis://...`.
 */
export default class UrlParserFromBullMQ extends Topology {
  static config = {
    'topology.max.spout.pending': 1000,
    'topo.redis.url': process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };

  urlJobs = BullMQSpout.spec({ queue: URL_QUEUE, fields: ['url'] });
  urlBolt = UrlBolt.spec({ p: 2, input: this.urlJobs });
  hostCount = HostCountBolt.spec({ p: 2, input: this.urlBolt.fields('host') });
  hostCounts = RedisStreamBolt.spec({ stream: HOST_COUNTS_STREAM, maxLen: 100_000, input: this.hostCount });
}
