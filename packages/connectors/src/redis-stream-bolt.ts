import { Redis } from 'ioredis';
import { Bolt, type BoltSpecOptions, type ComponentDefinition, type ComponentSpec, type TopologyConfig, type TopologyContext, type Tuple, type ValidationProblem } from '@topo/topology-dsl';
import { ConfigReader } from './config-reader.js';
import { sinkSpec } from './connector-spec.js';
import { RedisHealth } from './redis-health.js';
import { REDIS_STREAM_KEYS, readRedisStreamBoltSettings, type RedisStreamBoltSettings } from './redis-stream-config.js';
import { redisAddress } from './redis-url.js';
import { SinkBolt } from './sink-bolt.js';
import { tupleRecord } from './tuple-record.js';

export interface RedisStreamBoltOptions extends BoltSpecOptions {
  /** The stream entries are added to. */
  stream: string;
  /** Redis URL, e.g. `redis://127.0.0.1:6379/0`; or set `topo.redis.url` in the topology's config. */
  connection?: string;
  /** Trim the stream to about this many entries on each add (`XADD ... MAXLEN ~ n`). */
  maxLen?: number;
}

const OPTION_KEYS = {
  stream: REDIS_STREAM_KEYS.stream,
  connection: REDIS_STREAM_KEYS.url,
  maxLen: REDIS_STREAM_KEYS.maxLen,
};

/**
 * Adds one stream entry per input tuple (XADD) and acks the input only once Redis has
 * confirmed it (fails it if Redis rejected the add, so the tree is replayed; one cut off
 * by the connection closing is sent again). Tuples that arrive together go in one MULTI. The entry's fields are the tuple's fields; strings are
 * written as they are, any other value as JSON (override `toEntry` to choose).
 */
export class RedisStreamBolt extends SinkBolt {
  static override spec(this: typeof Bolt, options: RedisStreamBoltOptions): ComponentSpec<{ default: never }> {
    return sinkSpec(this, options, OPTION_KEYS);
  }

  static validateComponent(component: ComponentDefinition, config: TopologyConfig): ValidationProblem[] {
    return ConfigReader.problemsOf(component, config, (reader) => readRedisStreamBoltSettings(reader));
  }

  private settings!: RedisStreamBoltSettings;
  private client!: Redis;
  private health!: RedisHealth;

  prepare(context: TopologyContext): void {
    this.settings = ConfigReader.settingsOf(this, context, (reader) => readRedisStreamBoltSettings(reader));
    this.health = new RedisHealth(`${redisAddress(this.settings.url)} (stream ${this.settings.stream})`, (level, message) => context.log(level, message));
    this.client = new Redis(this.settings.url, { maxRetriesPerRequest: null });
    this.health.watch(this.client);
  }

  protected async disconnect(): Promise<void> {
    this.health.stop();
    if (this.health.healthy) await this.client.quit().catch(() => {});
    this.client.disconnect();
  }

  /** The entry's field/value pairs for a tuple. */
  protected toEntry(tuple: Tuple): Record<string, string> {
    const entry: Record<string, string> = {};
    for (const [field, value] of Object.entries(tupleRecord(tuple))) entry[field] = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    return entry;
  }

  protected async write(tuples: Tuple[]): Promise<void> {
    const { stream, maxLen } = this.settings;
    const trim = maxLen === undefined ? [] : ['MAXLEN', '~', String(maxLen)];
    const multi = this.client.multi();
    for (const tuple of tuples) multi.xadd(stream, ...trim, '*', ...Object.entries(this.toEntry(tuple)).flat());
    const replies = (await multi.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
  }
}
