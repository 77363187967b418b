import { parseUrl } from '../examples/url-parser/src/parse-url.js';

/**
 * The url-parser example's parse step, reduced to what its count steps group by: the host
 * of a web URL, or the reason a line is not one. Every contender calls this, so each
 * does the example's work (WHATWG URL plus its checks) and no less.
 */
export function countKey(line: string): string {
  const parsed = parseUrl(line);
  return parsed.valid ? parsed.host : `invalid:${parsed.reason}`;
}

/** The example's count step: one more for this host (or invalid reason). */
export function countOne(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
