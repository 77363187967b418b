import type { Redis } from 'ioredis';

/**
 * The committed state of a stateful component's tasks, straight from Redis: the hashes
 * `<prefix><component>-<task>` the Redis provider commits into (its `$prepare` and `$txid`
 * keys are not committed state), merged. Values are JSON as the provider writes them.
 */
export async function committedState(redis: Redis, component: string, keyPrefix = ''): Promise<Map<string, unknown>> {
  const pattern = new RegExp(`^${escape(keyPrefix + component)}-\\d+$`);
  const keys = (await redis.keys(`${keyPrefix}${component}-*`)).filter((key) => pattern.test(key)).sort();
  const merged = new Map<string, unknown>();
  for (const key of keys) for (const [field, value] of Object.entries(await redis.hgetall(key))) merged.set(field, JSON.parse(value));
  return merged;
}

/** The sum of a committed state of counts: how many inputs its tasks have committed. */
export function total(counts: Map<string, unknown>): number {
  let sum = 0;
  for (const value of counts.values()) sum += value as number;
  return sum;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
