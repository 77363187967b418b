import { BasicBolt, type Tuple } from '@topo/topology-dsl';
import { parseUrl } from './parse-url.js';

/**
 * Parses each URL: web URLs go out on the default stream as `host, path, queryKeys`,
 * anything else on `invalid` as `url, reason`. Both are anchored to the input and the
 * input is acked either way, so a malformed URL is reported once, never replayed.
 */
export class UrlBolt extends BasicBolt {
  static outputs = ['host', 'path', 'queryKeys'] as const;
  static streams = { invalid: ['url', 'reason'] } as const;

  process(tuple: Tuple): void {
    const line = String(tuple.get('url'));
    const parsed = parseUrl(line);
    if (parsed.valid) this.emit([parsed.host, parsed.path, parsed.queryKeys]);
    else this.emit([line, parsed.reason], { stream: 'invalid' });
  }
}
