import { Redis } from 'ioredis';
import type { StateProvider, StateProviderFactory, TransactionalState } from '@topo/runtime';
import { TopoError } from '@topo/topology-dsl';
import { RedisKeyValueState } from './redis-key-value-state.js';
import { redisAddress, redisUrlProblem } from './redis-url.js';

/** The keys the provider reads from the topology's config. */
export const REDIS_STATE_KEYS = {
  /** `{ url, keyPrefix? }`: where the state lives. */
  config: 'topology.state.provider.config',
  /** The URL every Redis connector falls back to, used when the provider config has none. */
  url: 'topo.redis.url',
} as const;

export interface RedisStateProviderOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379/0`. */
  url: string;
  /** Prefix of every key; default `topo:state:<topology>:`. */
  keyPrefix?: string;
}

/**
 * Makes RedisKeyValueStates over one connection per worker process (every stateful task
 * of the worker shares it; each prepare and commit is a single MULTI/EXEC, so they never
 * interleave). The connection waits out a Redis that goes away after the start, as the
 * other connectors do: a checkpoint then stalls and times out, and is rolled back.
 */
export class RedisStateProvider implements StateProvider {
  readonly name = 'redis';
  readonly durable = true;

  private constructor(
    private readonly redis: Redis,
    readonly keyPrefix: string,
  ) {}

  /**
   * Connects and checks that Redis answers; a URL that cannot be used or a Redis that
   * cannot be reached now is refused (a topology must not start stateful tasks that would
   * wait for it forever).
   */
  static async connect(topology: string, options: RedisStateProviderOptions): Promise<RedisStateProvider> {
    const { url } = options;
    const problem = redisUrlProblem(url);
    if (problem !== undefined) throw new TopoError(`url ${problem}`, { configKey: REDIS_STATE_KEYS.config });
    const where = `redis://${redisAddress(url)}`;
    // No retries while connecting: the first failure is the answer.
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null, retryStrategy: () => null });
    // The socket's error (ECONNREFUSED) comes as an event; connect() itself only says the connection closed.
    let socketError: unknown;
    const onError = (error: unknown) => {
      socketError = error;
    };
    redis.on('error', onError);
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      redis.disconnect();
      const cause = socketError ?? error;
      const e = cause as { code?: unknown; message?: unknown };
      const reason = typeof e?.code === 'string' ? e.code : String(e?.message ?? cause);
      throw new TopoError(`cannot reach ${where} (${reason})`, { configKey: REDIS_STATE_KEYS.config, cause });
    }
    redis.off('error', onError);
    // Failures reach the callers of the commands (checkpoints, which time out and roll back); the event would only crash the process.
    redis.on('error', () => {});
    // Connected: from now on reconnect for ever, as the other connectors do.
    redis.options.retryStrategy = (times) => Math.min(times * 100, 2000);
    return new RedisStateProvider(redis, options.keyPrefix ?? `topo:state:${topology}:`);
  }

  newState<V = unknown>(namespace: string): Promise<TransactionalState<V>> {
    return RedisKeyValueState.load<V>(this.redis, this.keyPrefix, namespace);
  }

  async close(): Promise<void> {
    // QUIT would wait in the offline queue for a Redis that is away: only say goodbye to one that is there.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => {});
    this.redis.disconnect();
  }
}

/** `topology.state.provider: redis`: the settings from `topology.state.provider.config`, the URL falling back to `topo.redis.url`. */
export const createStateProvider: StateProviderFactory = async ({ topology, config }) => {
  const raw = config[REDIS_STATE_KEYS.config] ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TopoError(`${REDIS_STATE_KEYS.config} must be an object such as { "url": "redis://127.0.0.1:6379" } (got ${JSON.stringify(raw)})`, { configKey: REDIS_STATE_KEYS.config });
  }
  const settings = raw as Record<string, unknown>;
  const url = settings.url ?? config[REDIS_STATE_KEYS.url];
  if (typeof url !== 'string' || url === '') {
    throw new TopoError(`needs a Redis URL: set url in ${REDIS_STATE_KEYS.config} or ${REDIS_STATE_KEYS.url} (got ${JSON.stringify(url ?? null)})`, { configKey: REDIS_STATE_KEYS.config });
  }
  const keyPrefix = settings.keyPrefix;
  if (keyPrefix !== undefined && typeof keyPrefix !== 'string') {
    throw new TopoError(`keyPrefix in ${REDIS_STATE_KEYS.config} must be a string (got ${JSON.stringify(keyPrefix)})`, { configKey: REDIS_STATE_KEYS.config });
  }
  return RedisStateProvider.connect(topology, { url, keyPrefix });
};
