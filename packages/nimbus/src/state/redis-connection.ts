import { Redis } from 'ioredis';
import type { Logger } from '@topo/runtime';

/** Commands that wait longer than this fail, so a hung Redis never freezes a daemon's loop. */
const COMMAND_TIMEOUT_MS = 5000;

/**
 * A Redis connection for a daemon. Commands fail at once while Redis is away (no
 * offline queue, no retries) because every daemon converges from stored state on its
 * next tick anyway; ioredis keeps reconnecting in the background, and the log says
 * once when Redis goes away and once when it is back.
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
  let complained = false;
  redis.on('ready', () => {
    if (complained) logger({ level: 'info', message: `${role}: connected to Redis at ${redactUrl(url)} again` });
    up = true;
    complained = false;
  });
  redis.on('error', (error: Error) => {
    if (up || !complained) logger({ level: 'warn', message: `${role}: Redis at ${redactUrl(url)} unavailable (${error.message}); retrying` });
    up = false;
    complained = true;
  });
  return redis;
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
