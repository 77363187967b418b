import { Redis } from 'ioredis';
import type { Logger } from '@topo/runtime';

/** Commands that wait longer than this fail, so a hung Redis never freezes a daemon's loop. */
const COMMAND_TIMEOUT_MS = 5000;

/** Why each connection made here is not ready, in words for a person. */
const problems = new WeakMap<Redis, string>();

/**
 * A Redis connection for a daemon. Commands fail at once while Redis is away (no
 * offline queue, no retries) because every daemon converges from stored state on its
 * next tick anyway; ioredis keeps reconnecting in the background, and the log says
 * once when Redis goes away (and why, e.g. that it refused authentication) and once
 * when it is back.
 */
export function connectRedis(url: string, logger: Logger, role: string, options: { subscriber?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: options.subscriber === true,
    maxRetriesPerRequest: options.subscriber === true ? null : 0,
    commandTimeout: options.subscriber === true ? undefined : COMMAND_TIMEOUT_MS,
    connectionName: role,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  let up = false;
  let complained: string | undefined;
  problems.set(redis, `Redis at ${redactUrl(url)} is not connected yet`);
  redis.on('ready', () => {
    if (complained !== undefined) logger.info(`${role}: connected to Redis at ${redactUrl(url)} again`);
    up = true;
    complained = undefined;
    problems.delete(redis);
  });
  redis.on('error', (error: Error) => {
    const problem = describeRedisError(url, error);
    problems.set(redis, problem);
    // Once per outage, and again only if the reason changes (e.g. from unreachable to refused authentication).
    if (up || complained !== problem) logger.warn(`${role}: ${problem}; retrying`);
    up = false;
    complained = problem;
  });
  redis.on('end', () => problems.set(redis, `the connection to Redis at ${redactUrl(url)} is closed`));
  return redis;
}

/** What keeps a connection made by `connectRedis` from serving commands, or undefined while it is ready. */
export function redisProblem(redis: Redis): string | undefined {
  return redis.status === 'ready' ? undefined : problems.get(redis) ?? `Redis is ${redis.status}`;
}

/**
 * A connection error in words: an authentication refusal says so and what to do, since
 * the client's own message for the commands that follow ("Stream isn't writeable...")
 * does not; the URL's password never appears.
 */
export function describeRedisError(url: string, error: Error): string {
  const where = `Redis at ${redactUrl(url)}`;
  const message = error.message;
  if (/^NOAUTH\b/.test(message)) return `${where} refused authentication: it requires a password and the URL gives none (put it in the URL: redis://:PASSWORD@host:port)`;
  if (/^WRONGPASS\b/.test(message)) return `${where} refused authentication: the URL's user name or password is wrong (WRONGPASS)`;
  if (/^ERR AUTH\b/.test(message)) return `${where} refused authentication: ${message}`;
  return `${where} unavailable (${message})`;
}

/** The URL without its password, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
