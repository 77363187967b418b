import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { Bolt, type BoltSpecOptions, type ComponentDefinition, type ComponentSpec, type ConfigValue, type TopologyConfig, type TopologyContext, type Tuple, type ValidationProblem } from '@topo/topology-dsl';
import { BULLMQ_KEYS, readBullMQBoltSettings, type BullMQBoltSettings } from './bullmq-config.js';
import { ConfigReader } from './config-reader.js';
import { sinkSpec } from './connector-spec.js';
import { RedisHealth, isConnectionError } from './redis-health.js';
import { redisAddress } from './redis-url.js';
import { SinkBolt } from './sink-bolt.js';
import { tupleRecord } from './tuple-record.js';

export interface BullMQBoltOptions extends BoltSpecOptions {
  /** The queue jobs are added to. */
  queue: string;
  /** Redis URL, e.g. `redis://127.0.0.1:6379/0`; or set `topo.redis.url` in the topology's config. */
  connection?: string;
  prefix?: string;
  /** Name of every job (default: the component's name); override `jobName(tuple)` to vary it. */
  jobName?: string;
  /** Tuple field whose value is the job id: BullMQ ignores an add whose id exists, so a replayed tuple adds no second job. */
  idField?: string;
  /** BullMQ job options for every job: `attempts`, `backoff`, `removeOnComplete`, ... */
  jobOptions?: Record<string, ConfigValue>;
}

const OPTION_KEYS = {
  queue: BULLMQ_KEYS.queue,
  connection: BULLMQ_KEYS.url,
  prefix: BULLMQ_KEYS.prefix,
  jobName: BULLMQ_KEYS.jobName,
  idField: BULLMQ_KEYS.idField,
  jobOptions: BULLMQ_KEYS.jobOptions,
};

/**
 * Adds one BullMQ job per input tuple and acks the input only once Redis has confirmed
 * the add (fails it if Redis rejected the add, so the tree is replayed). Tuples that
 * arrive together go in one `addBulk`. While Redis is unreachable adds wait (one cut off
 * by the connection closing is sent again), inputs stay in flight up to `maxInFlight`,
 * and backpressure holds the spouts.
 *
 * The job's data is an object of the tuple's fields (override `jobData`); its name is
 * `jobName` or the component's name (override `jobName`).
 */
export class BullMQBolt extends SinkBolt {
  static override spec(this: typeof Bolt, options: BullMQBoltOptions): ComponentSpec<{ default: never }> {
    return sinkSpec(this, options, OPTION_KEYS);
  }

  static validateComponent(component: ComponentDefinition, config: TopologyConfig): ValidationProblem[] {
    return ConfigReader.problemsOf(component, config, (reader) => readBullMQBoltSettings(reader, component.name));
  }

  private settings!: BullMQBoltSettings;
  private connection!: Redis;
  private queue!: Queue;
  private health!: RedisHealth;

  prepare(context: TopologyContext): void {
    this.settings = ConfigReader.settingsOf(this, context, (reader) => readBullMQBoltSettings(reader, context.componentId));
    this.health = new RedisHealth(`${redisAddress(this.settings.url)} (queue ${this.settings.queue})`, (level, message) => context.log(level, message));
    this.connection = new Redis(this.settings.url, { maxRetriesPerRequest: null });
    this.health.watch(this.connection);
    this.queue = new Queue(this.settings.queue, { connection: this.connection, prefix: this.settings.prefix });
    // Connection trouble is the health watch's to report, once.
    this.queue.on('error', (error) => {
      if (!isConnectionError(error)) this.reportError(error);
    });
  }

  protected write(tuples: Tuple[]): Promise<unknown> {
    return this.queue.addBulk(tuples.map((t) => ({ name: this.jobName(t), data: this.jobData(t), opts: this.jobOptions(t) })));
  }

  protected async disconnect(): Promise<void> {
    this.health.stop();
    await this.queue.close();
    this.connection.disconnect();
  }

  protected jobName(_tuple: Tuple): string {
    return this.settings.jobName;
  }

  protected jobData(tuple: Tuple): unknown {
    return tupleRecord(tuple);
  }

  protected jobOptions(tuple: Tuple): JobsOptions {
    const options = { ...this.settings.jobOptions } as JobsOptions;
    if (this.settings.idField !== undefined) options.jobId = String(tuple.get(this.settings.idField));
    return options;
  }
}
