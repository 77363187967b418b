/**
 * Why `url` cannot be used to reach Redis, or undefined when it can: a `redis://` or
 * `rediss://` URL with a host, an optional port and an optional database number, as
 * ioredis takes it. Checked at submit time, because ioredis itself never gives up on a
 * URL it cannot use: it would retry forever.
 */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `is not a URL (got "${url}"); expected redis://host:port, e.g. redis://127.0.0.1:6379`;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return `must be a redis:// or rediss:// URL (got "${url}")`;
  }
  if (parsed.hostname === '') return `has no host (got "${url}"); expected redis://host:port`;
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) return `has "${parsed.pathname}" where the database number goes (got "${url}"); expected redis://host:port/0`;
  return undefined;
}

/** `host:port/db` of a Redis URL, without credentials: what logs may show. */
export function redisAddress(url: string): string {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return `${parsed.hostname}:${parsed.port || '6379'}${db !== '' ? `/${db}` : ''}`;
}
