import { Topology } from '@topo/topology-dsl';
import { HostTotalsBolt } from './src/host-totals-bolt.js';
import { TrendingHostsBolt } from './src/trending-hosts-bolt.js';
import { UrlBolt } from './src/url-bolt.js';
import { FileUrlSpout } from './src/file-url-spout.js';

/**
 * Trending hosts: the URLs of the last minute per host, every ten seconds, and a running
 * total per host kept in Redis. Run it with
 * `npx topo run examples/url-parser/topology-trending.ts --config topo.redis.url=redis://...`.
 */
export default class TrendingHosts extends Topology {
  static config = {
    'topology.state.provider': 'redis',
    // A URL stays pending until it leaves the window (length + slide: 70 s) and the next checkpoint commits.
    'topology.message.timeout.secs': 90,
    // Every URL of the last 70 s is pending: this bounds the window's memory, and the rate to about 700 URLs/s.
    'topology.max.spout.pending': 50_000,
  };

  urlSpout = FileUrlSpout.spec({ p: 1 });
  urlBolt = UrlBolt.spec({ p: 2, input: this.urlSpout });
  trending = TrendingHostsBolt.spec({ p: 2, input: this.urlBolt.fields('host'), window: { length: { minutes: 1 }, slide: { seconds: 10 } } });
  hostTotals = HostTotalsBolt.spec({ p: 2, input: this.trending.fields('host') });
}
